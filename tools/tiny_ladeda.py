"""Reference PyTorch definition of Tiny-LaDeDa, the user's 1,297-parameter
deepfake detector, used to generate the fixtures that judge edgeport.

Source of every fact below: the model authors' repository
barcavia/RealTime-DeepfakeDetection-in-the-RealWorld, branch main,
networks/Tiny_LaDeDa.py (the model, its preprocess() and forward()),
networks/tiny_trainer.py (fc replaced by nn.Linear(features_dim=8, 1)) and
options/base_options.py (--tiny_preprocess defaults to "right_diag"). The
preprocess filters are spelled identically in networks/LaDeDa.py.

- preprocess: a fixed 3x3 kernel k, applied as
  F.conv2d(x, k.repeat(3, 1, 1, 1), groups=3, padding="same") (a depthwise
  cross-correlation, one pixel of zero padding on each side); "NPR" is
  x - up(down(x)) with nearest resampling by 0.5 then 2 and
  recompute_scale_factor=True; "raw" is x itself.
- stem: conv1 1x1 3->8 and conv2 3x3 valid 8->8, both without bias, then
  bn1, relu. No activation between conv1 and conv2.
- layer1: one block of 1x1 conv, bn, relu, then a 3x3 stride-2 valid conv,
  bn, relu (the authors pass kernel3=1 to _make_layer, which selects 3x3);
  no residual.
- head: pool=True is nn.AvgPool2d(H, stride=1) (the global mean for a square
  map), flatten, fc. pool=False applies fc at every position through permutes.

The fixed filter is a non-persistent buffer: it is part of the architecture,
not of the checkpoint, so it never appears in a state_dict.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

# Row-major cross-correlation kernels (rows top to bottom).
PREPROCESS_KERNELS = {
    "x_grad": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "y_grad": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "left_diag": [[0, 1, 2], [-1, 0, 1], [-2, -1, 0]],
    "right_diag": [[-2, -1, 0], [-1, 0, 1], [0, 1, 2]],
}
PREPROCESS_CHOICES = ("right_diag", "left_diag", "x_grad", "y_grad", "raw", "NPR")
DEFAULT_PREPROCESS = "right_diag"


class LaDeDaPreprocess(nn.Module):
    """The fixed input representation shared by LaDeDa and Tiny-LaDeDa."""

    def __init__(self, preprocess):
        super().__init__()
        if preprocess not in PREPROCESS_CHOICES:
            raise ValueError(f"unknown preprocess {preprocess!r}; expected one of {PREPROCESS_CHOICES}")
        self.preprocess = preprocess
        if preprocess in PREPROCESS_KERNELS:
            kernel = torch.tensor(PREPROCESS_KERNELS[preprocess], dtype=torch.float32)
            self.register_buffer("kernel", kernel.reshape(1, 1, 3, 3).repeat(3, 1, 1, 1), persistent=False)

    def forward(self, x):
        if self.preprocess == "raw":
            return x
        if self.preprocess == "NPR":
            coarse = F.interpolate(x, scale_factor=0.5, mode="nearest", recompute_scale_factor=True)
            return x - F.interpolate(coarse, scale_factor=2.0, mode="nearest", recompute_scale_factor=True)
        # padding="same" pads a 3x3 kernel by one pixel on every side; the
        # explicit form is the same arithmetic and torch.onnx.export (1.13)
        # can write it.
        return F.conv2d(x, self.kernel, groups=3, padding=1)


def pooled_head(x, fc):
    """nn.AvgPool2d over a window as tall as the map, stride 1, then fc."""
    x = F.avg_pool2d(x, int(x.size(2)), stride=1)
    return fc(x.reshape(x.size(0), -1))


def per_position_head(x, fc):
    return fc(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class TinyBlock(nn.Module):
    """1x1 conv, BN, ReLU, then a valid 3x3 stride-2 conv, BN, ReLU; no shortcut."""

    def __init__(self, channels=8):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, stride=2, padding=0, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(x)))


class TinyLaDeDa(nn.Module):
    """[N,3,H,W] -> [N,1,(H-4)//2,(W-4)//2] patch logits, or [N,1] with pool=True."""

    def __init__(self, preprocess=DEFAULT_PREPROCESS, pool=False):
        super().__init__()
        self.representation = LaDeDaPreprocess(preprocess)
        self.preprocess = preprocess
        self.pool = pool
        self.conv1 = nn.Conv2d(3, 8, 1, bias=False)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=0, bias=False)
        self.bn1 = nn.BatchNorm2d(8, momentum=0.001)
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = nn.Sequential(TinyBlock(8))
        self.fc = nn.Linear(8, 1)

    def forward(self, x):
        x = self.representation(x)
        x = self.relu(self.bn1(self.conv2(self.conv1(x))))
        x = self.layer1(x)
        return pooled_head(x, self.fc) if self.pool else per_position_head(x, self.fc)


class Student(nn.Module):
    """The wrapper of the user's distillation checkpoints: keys are "model.<name>"."""

    def __init__(self, preprocess=DEFAULT_PREPROCESS, pool=False):
        super().__init__()
        self.model = TinyLaDeDa(preprocess=preprocess, pool=pool)

    def forward(self, x):
        return self.model(x)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())
