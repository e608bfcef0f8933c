#!/usr/bin/python3
"""Writes the real-PyTorch fixtures that judge edgeport's `ladeda`
architecture into tests/generated/ladeda/ (git-ignored; scripts/test.sh runs
this before the tests). Run with Debian's /usr/bin/python3 (it has torch).

For each variant (9, 5, 17, 33) a checkpoint (a plain state_dict) of
tools/ladeda.py's model with deterministic random weights and BatchNorm
statistics far from the unit range: each BatchNorm's running_var is spread
log-uniformly over [1e-3, 10] (the preceding conv's output channels are
rescaled to match, so activations stay finite through 16 blocks), its
gammas reach 5 (some negative) and its means are offset. Then small inputs
(1x3x64x64 and 1x3x96x96, torch.randn) and PyTorch's outputs on them,
computed in float64 (make_fixtures.run) and saved as float32. Every
checkpoint is read back from disk into a fresh model, which must reproduce
the outputs exactly.

manifest.json:
  {"models": [{"checkpoint": file, "arch": "ladeda:key=value,...",
               "variant": int, "inferred_arch": bool,
               "cases": [{"input": file, "output": file,
                          "float32_noise": float}, ...]}, ...],
   "figures_256": [{"variant": int, "parameters": int,
                    "output_shape": [N, C, H, W]}, ...]}
"inferred_arch" is true when the keys alone give that spec (the variant
follows from conv2 kernel sizes; preprocess and pool leave no trace, so
only their defaults NPR and pool=false are inferable). "figures_256" are
PyTorch's parameter counts (model.parameters(), no running statistics) and
output shapes on a 1x3x256x256 input. "float32_noise" is max |float32 -
float64| / max |float64| of PyTorch's own outputs for that case: 16 blocks
with BatchNorm gains up to 5 put it near 5e-5, which bounds how closely any
other float32 implementation can agree. The manifest is written last, so a
folder without one is incomplete.
"""

import argparse
import collections
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ladeda import VARIANTS, LaDeDa  # noqa: E402
from make_fixtures import load_checkpoint, randn_input, run, save_checkpoint, save_json, save_npy  # noqa: E402
from tiny_ladeda import parameter_count  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = REPO_ROOT / "tests" / "generated" / "ladeda"

# Seeds: a variant's weights come from torch.manual_seed(MODEL_SEED_BASE +
# variant), its BatchNorm draws from a generator seeded with that plus
# BATCHNORM_SEED_OFFSET, its calibration input from CALIBRATION_SEED.
MODEL_SEED_BASE = 400
BATCHNORM_SEED_OFFSET = 10_000
CALIBRATION_SEED = 40
INPUT_SEEDS = {64: 41, 96: 42}


def preceding_conv(model, batch_norm_name):
    """The conv whose output a BatchNorm normalizes: bn1 follows the stem's
    conv2, a block's bnK its convK, downsample.1 downsample.0."""
    if batch_norm_name == "bn1":
        return model.conv2
    if batch_norm_name.endswith("downsample.1"):
        return model.get_submodule(batch_norm_name[: -len("1")] + "0")
    prefix, _, index = batch_norm_name.rpartition(".bn")
    return model.get_submodule(f"{prefix}.conv{index}")


def randomize_batchnorm(model, seed, calibration_input):
    """Draws each BatchNorm's statistics in forward order during one pass: the
    conv before it is rescaled per channel so its output variance becomes the
    drawn running_var (within a factor of 2), which keeps the network's
    activations of order one while the folded weights see the full spread."""
    generator = torch.Generator().manual_seed(seed)

    def uniform(count, low, high):
        return low + (high - low) * torch.rand(count, generator=generator)

    def calibrate(name, module, inputs):
        x = inputs[0]
        channels = module.num_features
        target_var = torch.exp(uniform(channels, np.log(1e-3), np.log(10.0)))
        measured_var = x.var(dim=(0, 2, 3), unbiased=False).clamp_min(1e-12)
        scale = torch.sqrt(target_var / measured_var)
        preceding_conv(model, name).weight.mul_(scale.view(-1, 1, 1, 1))
        x = x * scale.view(1, -1, 1, 1)
        spread = torch.sqrt(target_var)
        module.running_mean.copy_(x.mean(dim=(0, 2, 3)) + uniform(channels, -0.5, 0.5) * spread)
        module.running_var.copy_(target_var * torch.exp(uniform(channels, np.log(0.5), np.log(2.0))))
        sign = torch.where(torch.rand(channels, generator=generator) < 0.2, -1.0, 1.0)
        module.weight.copy_(sign * torch.exp(uniform(channels, np.log(0.2), np.log(5.0))))
        module.bias.copy_(uniform(channels, -1.0, 1.0))
        module.num_batches_tracked.fill_(1000)
        return (x,)

    handles = [module.register_forward_pre_hook(lambda module, inputs, name=name: calibrate(name, module, inputs))
               for name, module in model.named_modules() if isinstance(module, nn.BatchNorm2d)]
    with torch.no_grad():
        model(calibration_input)
    for handle in handles:
        handle.remove()
    return model


def make_model(variant, preprocess="NPR", pool=False):
    torch.manual_seed(MODEL_SEED_BASE + variant)
    model = LaDeDa(variant, preprocess, pool).eval()
    calibration = randn_input(64, CALIBRATION_SEED)
    return randomize_batchnorm(model, MODEL_SEED_BASE + variant + BATCHNORM_SEED_OFFSET, calibration)


def reloaded(path, variant, preprocess, pool):
    reference = LaDeDa(variant, preprocess, pool).eval()
    reference.load_state_dict(collections.OrderedDict(load_checkpoint(path)), strict=True)
    return reference


def float32_noise(model, x):
    """max |float32 - float64| / max |float64| of PyTorch's own outputs: how
    far float32 arithmetic alone moves this network's result."""
    with torch.no_grad():
        output = model(x).numpy().astype(np.float64)
    exact = run(model, x)
    return float(np.max(np.abs(output - exact)) / np.max(np.abs(exact)))


def write_cases(folder, stem, model, reference, inputs):
    cases = []
    for input_name, x in inputs.items():
        output = run(model, x)
        if not np.isfinite(output).all():
            raise RuntimeError(f"{stem} on {input_name}: the output has NaN or Inf")
        if not np.array_equal(output, run(reference, x)):
            raise RuntimeError(f"{stem} on {input_name}: the reloaded checkpoint gives other outputs")
        output_name = f"{stem}.{Path(input_name).stem}.out.npy"
        save_npy(folder / output_name, output)
        noise = float32_noise(model, x)
        cases.append({"input": input_name, "output": output_name, "float32_noise": noise})
        print(f"  {output_name:40s} shape {list(output.shape)} max|y| {np.abs(output).max():.4g} "
              f"float32 noise {noise:.2g}")
    return cases


def figures_256(variant):
    """On meta tensors: PyTorch propagates the shapes without computing."""
    model = LaDeDa(variant).eval().to("meta")
    with torch.no_grad():
        shape = list(model(torch.zeros(1, 3, 256, 256, device="meta")).shape)
    return {"variant": variant, "parameters": parameter_count(model), "output_shape": shape}


def write_fixtures(folder):
    folder.mkdir(parents=True, exist_ok=True)
    inputs = {f"randn_{size}.npy": randn_input(size, seed) for size, seed in INPUT_SEEDS.items()}
    for name, x in inputs.items():
        save_npy(folder / name, x.numpy())
    small = {"randn_64.npy": inputs["randn_64.npy"]}

    models = []
    for variant in sorted(VARIANTS):
        stem = f"ladeda{variant}"
        checkpoint = f"{stem}.pt"
        model = make_model(variant)
        save_checkpoint(folder / checkpoint, model.state_dict())
        reference = reloaded(folder / checkpoint, variant, "NPR", False)
        arch = "ladeda" if variant == 9 else f"ladeda:variant={variant}"
        # The two variants of the brief's size checks run on both inputs.
        cases = write_cases(folder, stem, model, reference, inputs if variant in (5, 9) else small)
        models.append({"checkpoint": checkpoint, "arch": arch, "variant": variant, "inferred_arch": True,
                       "cases": cases})
        if variant == 9:
            # Same weights, the other head and a gradient filter: options the
            # keys cannot show.
            other = LaDeDa(variant, "right_diag", True).eval()
            other.load_state_dict(model.state_dict())
            pooled_reference = reloaded(folder / checkpoint, variant, "right_diag", True)
            cases = write_cases(folder, f"{stem}_right_diag_pool", other, pooled_reference, small)
            models.append({"checkpoint": checkpoint, "arch": "ladeda:pool=true,preprocess=right_diag",
                           "variant": variant, "inferred_arch": False, "cases": cases})
        print(f"  {checkpoint:40s} {len(model.state_dict())} keys {parameter_count(model)} params "
              f"{(folder / checkpoint).stat().st_size} bytes  ok")

    figures = [figures_256(variant) for variant in sorted(VARIANTS)]
    for entry in figures:
        print(f"  LaDeDa{entry['variant']} at 256x256: {entry['parameters']} params, output {entry['output_shape']}")
    save_json(folder / "manifest.json", {"models": models, "figures_256": figures})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT_DIR, help="write to this folder instead")
    args = parser.parse_args()
    torch.set_num_threads(1)
    started = time.monotonic()
    print(f"ladeda fixtures -> {args.output}")
    write_fixtures(args.output)
    print(f"ladeda fixtures done in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
