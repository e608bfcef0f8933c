"""Reference PyTorch definition of LaDeDa, the authors' teacher model, used to
generate the fixtures that judge edgeport's `ladeda` architecture.

Source of every fact below: the model authors' repository
barcavia/RealTime-DeepfakeDetection-in-the-RealWorld, branch main,
networks/LaDeDa.py. This is a transcription of those facts, not a copy of
the file; module names follow it so that state_dict keys are the published
ones.

- preprocess: the same fixed representations as Tiny-LaDeDa (imported from
  tiny_ladeda.py); the default here is "NPR". main's forward applies no
  input scaling (an unmerged pull request adds x * 2/3; not published).
- stem: conv1 1x1 3->64 and conv2 3x3 valid 64->64, both without bias, then
  bn1 and relu. No max-pool.
- four stages (layer1..layer4) of Bottleneck blocks, counts [3, 4, 6, 3],
  planes 64/128/256/512, expansion 4, strides [2, 2, 2, 1] (on each stage's
  first block).
- Bottleneck: conv1 1x1 -> bn1 -> relu; conv2 kxk, stride s, padding 0 ->
  bn2 -> relu; conv3 1x1 to 4*planes -> bn3; add the shortcut; relu. All
  convolutions are without bias.
- shortcut: downsample.0 (1x1 conv, stride s, no bias) and downsample.1
  (BatchNorm) when s != 1 or the channel count changes, which only happens in
  a stage's first block. When the shortcut's last extent exceeds the
  output's by d, it is cropped to shortcut[:, :, :-d, :-d] (H and W both by
  the same d, at the end).
- kernel size: 3 only for the first block of a stage whose kernel3 flag is
  1, else 1 (the authors' later blocks use `1 if kernel3 <= i else 3` with
  i >= 1, which a 0/1 flag always turns into 1).
- variants (kernel3 per stage): LaDeDa33 [1,1,1,1], LaDeDa17 [1,1,1,0],
  LaDeDa9 [1,1,0,0] (the paper's model), LaDeDa5 [1,0,0,0].
- head: fc = Linear(2048, num_classes=1); pool=True is AvgPool2d(H, stride=1)
  then flatten then fc (the authors' constructor default); pool=False applies
  fc at every position through permutes. The keys are the same either way.
- published figures on a 1x3x256x256 input: LaDeDa9 has 13,641,793
  parameters and outputs [1, 1, 31, 31]; LaDeDa33 28x28, LaDeDa17 30x30,
  LaDeDa5 32x32.
"""

import torch.nn as nn

from tiny_ladeda import PREPROCESS_CHOICES, LaDeDaPreprocess, per_position_head, pooled_head

__all__ = ["LaDeDa", "VARIANTS", "DEFAULT_VARIANT", "DEFAULT_PREPROCESS", "PREPROCESS_CHOICES"]

# kernel3 flag per stage for each variant, named by its receptive field.
VARIANTS = {
    5: (1, 0, 0, 0),
    9: (1, 1, 0, 0),
    17: (1, 1, 1, 0),
    33: (1, 1, 1, 1),
}
DEFAULT_VARIANT = 9
DEFAULT_PREPROCESS = "NPR"
BLOCKS = (3, 4, 6, 3)
PLANES = (64, 128, 256, 512)
STRIDES = (2, 2, 2, 1)
EXPANSION = 4


class Bottleneck(nn.Module):
    def __init__(self, in_channels, planes, stride, kernel_size, downsample):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size, stride=stride, padding=0, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * EXPANSION, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * EXPANSION)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        excess = shortcut.size(-1) - out.size(-1)
        if excess:
            shortcut = shortcut[:, :, :-excess, :-excess]
        return self.relu(out + shortcut)


def make_stage(in_channels, planes, blocks, stride, kernel3):
    out_channels = planes * EXPANSION
    downsample = None
    if stride != 1 or in_channels != out_channels:
        downsample = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
            nn.BatchNorm2d(out_channels),
        )
    layers = [Bottleneck(in_channels, planes, stride, 3 if kernel3 else 1, downsample)]
    layers += [Bottleneck(out_channels, planes, 1, 1, None) for _ in range(1, blocks)]
    return nn.Sequential(*layers)


class LaDeDa(nn.Module):
    """[N,3,H,W] -> [N,1,h,w] patch logits, or [N,1] with pool=True."""

    def __init__(self, variant=DEFAULT_VARIANT, preprocess=DEFAULT_PREPROCESS, pool=False):
        super().__init__()
        if variant not in VARIANTS:
            raise ValueError(f"unknown LaDeDa variant {variant!r}; expected one of {sorted(VARIANTS)}")
        self.representation = LaDeDaPreprocess(preprocess)
        self.pool = pool
        self.conv1 = nn.Conv2d(3, 64, 1, bias=False)
        self.conv2 = nn.Conv2d(64, 64, 3, padding=0, bias=False)
        self.bn1 = nn.BatchNorm2d(64, momentum=0.001)
        self.relu = nn.ReLU(inplace=True)
        in_channels = 64
        for index, (blocks, planes, stride, kernel3) in enumerate(zip(BLOCKS, PLANES, STRIDES, VARIANTS[variant])):
            setattr(self, f"layer{index + 1}", make_stage(in_channels, planes, blocks, stride, kernel3))
            in_channels = planes * EXPANSION
        self.fc = nn.Linear(in_channels, 1)

    def forward(self, x):
        x = self.representation(x)
        x = self.relu(self.bn1(self.conv2(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return pooled_head(x, self.fc) if self.pool else per_position_head(x, self.fc)
