#!/usr/bin/python3
"""Writes torchvision models exported by torch.onnx.export, the files a user
without a state_dict architecture passes to edgeport, into
tests/generated/torchvision_onnx/ (git-ignored; scripts/test.sh runs this
before the tests). Run with Debian's /usr/bin/python3 (it has torch).

Each model is torchvision's constructor with weights=None and 10 classes (a
small classifier keeps the files small), after torch.manual_seed. Its
BatchNorm layers get random affine parameters, then running statistics
measured on the twelve bundled calibration photos
(data/calibration), as training on photos would leave them.
make_fixtures.randomize_batchnorm's arbitrary statistics do not do here:
through these deep networks they make the output independent of the input
(two inputs gave outputs 3e-7 apart, relative), so no error before the
classifier would show; statistics of random images leave the networks
ill-conditioned on photos (efficientnet_b0's float32 output strayed 1.3e-5
from float64 in PyTorch itself). It is exported with input_names ["input"],
output_names ["output"] and constant folding, checked by onnx.checker, and
run in PyTorch on each input; outputs are computed in float64
(make_fixtures.run) and saved as float32.

  mobilenet_v3_small at opset 13 (edgeport's default opset: Hardswish is
  written as x * HardSigmoid(x), the squeeze-and-excitation gates as
  HardSigmoid) and at opset 14 (torch.onnx.export's default: HardSwish ops),
  efficientnet_b0 at opset 13 (SiLU as x * Sigmoid(x), stochastic depth),
  resnet50 at opset 13 (the large model of bench/export_time.sh).

Inputs: astronaut_224.npy (skimage's astronaut, also among the calibration
photos) and motorcycle_224.npy (skimage's motorcycle_left, a photo the
statistics never saw), prepared as make_fixtures.photo_input does.

manifest.json: a JSON list of
  {"model": file, "torchvision": name, "opset": int, "parameters": int,
   "onnx_ops": {op type: count},
   "cases": [{"input": file, "output": file, "float32_noise": float}, ...]}
"float32_noise" is max |float32 - float64| / max |float64| of PyTorch's own
outputs: how closely any float32 implementation can be expected to agree.
The manifest is written last, so a folder without one is incomplete.
"""

import argparse
import collections
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fixtures import (astronaut_input, export_onnx, photo_input, run, save_json, save_npy,  # noqa: E402
                           torchvision_constructor, write_inputs)

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = REPO_ROOT / "tests" / "generated" / "torchvision_onnx"

CALIBRATION_DIR = REPO_ROOT / "data" / "calibration"
MOTORCYCLE_PNG = Path("/usr/lib/python3/dist-packages/skimage/data/motorcycle_left.png")
SIZE = 224
NUM_CLASSES = 10
# Seeds: a model's weights come from torch.manual_seed(its seed), its
# BatchNorm affine parameters from a generator seeded with that plus
# BATCHNORM_SEED_OFFSET.
MODEL_SEEDS = {"mobilenet_v3_small": 500, "efficientnet_b0": 510, "resnet50": 520}
BATCHNORM_SEED_OFFSET = 10_000
EXPORTS = [("mobilenet_v3_small", 13), ("mobilenet_v3_small", 14), ("efficientnet_b0", 13), ("resnet50", 13)]


def calibration_photos():
    paths = sorted(CALIBRATION_DIR.glob("*.png"))
    if len(paths) != 12:
        raise RuntimeError(f"{CALIBRATION_DIR}: expected the 12 bundled photos, found {len(paths)}")
    return torch.cat([photo_input(path, SIZE) for path in paths])


def calibrate_batchnorm(model, seed, photos):
    generator = torch.Generator().manual_seed(seed)
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            channels = module.num_features
            with torch.no_grad():
                module.weight.copy_(0.5 + torch.rand(channels, generator=generator))
                module.bias.copy_(-0.25 + 0.5 * torch.rand(channels, generator=generator))
            module.reset_running_stats()
            module.momentum = None  # the plain average over the batch
    # Only BatchNorm trains: dropout and stochastic depth stay off.
    model.eval()
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.train()
    with torch.no_grad():
        model(photos)
    return model.eval()


def make_model(name, photos):
    seed = MODEL_SEEDS[name]
    torch.manual_seed(seed)
    model = torchvision_constructor(name)(weights=None, num_classes=NUM_CLASSES)
    return calibrate_batchnorm(model, seed + BATCHNORM_SEED_OFFSET, photos)


def op_histogram(path):
    import onnx

    return dict(sorted(collections.Counter(node.op_type for node in onnx.load(str(path)).graph.node).items()))


def write(folder):
    inputs = {"astronaut_224.npy": astronaut_input(SIZE), "motorcycle_224.npy": photo_input(MOTORCYCLE_PNG, SIZE)}
    write_inputs(folder, inputs)
    photos = calibration_photos()
    manifest = []
    for name, opset in EXPORTS:
        model = make_model(name, photos)
        stem = f"{name}_opset{opset}"
        path = folder / f"{stem}.onnx"
        export_onnx(path, model, inputs["astronaut_224.npy"], opset)
        cases = []
        for input_name, x in inputs.items():
            output_name = f"{stem}.{Path(input_name).stem}.out.npy"
            exact = run(model, x)
            with torch.no_grad():
                single = model(x).numpy()
            save_npy(folder / output_name, exact)
            noise = float(np.max(np.abs(single - exact)) / np.max(np.abs(exact)))
            cases.append({"input": input_name, "output": output_name, "float32_noise": noise})
        manifest.append({"model": path.name, "torchvision": name, "opset": opset,
                         "parameters": sum(p.numel() for p in model.parameters()),
                         "onnx_ops": op_histogram(path), "cases": cases})
        print(f"  {path.name:32s} {path.stat().st_size:9d} bytes  float32 noise "
              f"{max(case['float32_noise'] for case in cases):.2g}  ok")
    save_json(folder / "manifest.json", manifest)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT_DIR, help="write to this folder instead")
    args = parser.parse_args()
    torch.set_num_threads(1)
    started = time.monotonic()
    print(f"-> {args.output}")
    write(args.output)
    print(f"done in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
