"""Reference PyTorch definition of Tiny-LaDeDa, the user's 1,297-parameter
deepfake detector, used to generate the fixtures that judge edgeport.

The fixed preprocessing filter is a non-persistent buffer: it is part of the
architecture, not of the checkpoint, so it never appears in a state_dict.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

# 3x3 cross-correlation kernels applied depthwise (the same to each RGB channel).
PREPROCESS_KERNELS = {
    "right_diag": [[0, 0, 0], [0, -1, 0], [0, 0, 1]],
    "left_diag": [[0, 0, 0], [0, -1, 0], [1, 0, 0]],
    "x_grad": [[0, 0, 0], [0, -1, 1], [0, 0, 0]],
    "y_grad": [[0, 0, 0], [0, -1, 0], [0, 1, 0]],
}
PREPROCESS_CHOICES = tuple(PREPROCESS_KERNELS) + ("raw", "NPR")


class TinyBlock(nn.Module):
    """1x1 conv, BN, ReLU, then a valid 3x3 stride-2 conv, BN, ReLU; no shortcut."""

    def __init__(self, channels=8):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, stride=2, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(x)))


class TinyLaDeDa(nn.Module):
    """[N,3,H,W] -> [N,1,(H-4)//2,(W-4)//2] patch logits, or [N,1] with pool=True."""

    def __init__(self, preprocess="right_diag", pool=False):
        super().__init__()
        if preprocess not in PREPROCESS_CHOICES:
            raise ValueError(f"unknown preprocess {preprocess!r}; expected one of {PREPROCESS_CHOICES}")
        self.preprocess = preprocess
        self.pool = pool
        if preprocess in PREPROCESS_KERNELS:
            kernel = torch.tensor(PREPROCESS_KERNELS[preprocess], dtype=torch.float32)
            self.register_buffer("preprocess_kernel", kernel.expand(3, 1, 3, 3).clone(), persistent=False)
        self.conv1 = nn.Conv2d(3, 8, 1, bias=False)
        self.conv2 = nn.Conv2d(8, 8, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = nn.Sequential(TinyBlock(8))
        self.fc = nn.Linear(8, 1)

    def apply_preprocess(self, x):
        if self.preprocess == "raw":
            return x
        if self.preprocess == "NPR":
            coarse = F.interpolate(x, scale_factor=0.5, mode="nearest")
            return x - F.interpolate(coarse, scale_factor=2, mode="nearest")
        return F.conv2d(x, self.preprocess_kernel, padding=1, groups=3)

    def forward(self, x):
        x = self.apply_preprocess(x)
        x = self.relu(self.bn1(self.conv2(self.conv1(x))))
        x = self.layer1(x)
        if self.pool:
            x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
            return self.fc(x)
        # The classifier scores every spatial position: a map of patch logits.
        return self.fc(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class Student(nn.Module):
    """The wrapper of the user's distillation checkpoints: keys are "model.<name>"."""

    def __init__(self, preprocess="right_diag", pool=False):
        super().__init__()
        self.model = TinyLaDeDa(preprocess=preprocess, pool=pool)

    def forward(self, x):
        return self.model(x)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())
