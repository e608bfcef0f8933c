#!/usr/bin/python3
"""Writes the real-PyTorch fixtures that judge edgeport's readers, builders,
writers and runtime. Run with Debian's /usr/bin/python3 (it has torch).

  --small   tests/fixtures/models/   (committed): Tiny-LaDeDa checkpoints in
            every preprocess/pool variant and checkpoint container, two inputs,
            expected outputs, manifest.json.
  --large   tests/generated/models/  resnet18 and mobilenet_v2 checkpoints,
            tests/generated/onnx/    torch.onnx.export files (git-ignored).

Everything is deterministic: seeds are fixed below, computation runs on one
thread, and each file is read back with torch.load and checked after writing.

Manifest of a models folder: a JSON list of
  {"checkpoint": file, "arch": "name:key=value,...", "inferred_arch": bool,
   "cases": [{"input": file, "output": file}, ...], "parameters": int,
   "description": text}
"inferred_arch" is true when the key set alone identifies the architecture and
the options it leaves out are the defaults or follow from tensor shapes: so for
tiny_ladeda only with preprocess=right_diag,pool=false (preprocess and pool
leave no trace in the weights), and for resnet18 / mobilenet_v2 whose
num_classes is the classifier's row count. Otherwise a reader must be told the
"arch". "parameters" counts model.parameters(), so
BatchNorm running statistics are not included. Paths are relative to the
manifest's folder.

Manifest of the onnx folder: a JSON list of {"model": file, "cases": [...]}.
"""

import argparse
import collections
import copy
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tiny_ladeda import PREPROCESS_CHOICES, Student, TinyLaDeDa, parameter_count  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SMALL_DIR = REPO_ROOT / "tests" / "fixtures" / "models"
LARGE_DIR = REPO_ROOT / "tests" / "generated"
ASTRONAUT_PNG = Path("/usr/lib/python3/dist-packages/skimage/data/astronaut.png")

# Seeds. The randn inputs come from torch.randn with a torch.Generator seeded
# here. A tiny_ladeda variant is built after torch.manual_seed(TINY_SEED_BASE
# + 2 * index of its preprocess in PREPROCESS_CHOICES + pool), e.g. 100 for
# right_diag, 111 for NPR with pool; every model's BatchNorm statistics come
# from a generator seeded with its model seed + BATCHNORM_SEED_OFFSET.
RANDN_256_SEED = 0
RANDN_224_SEED = 1
TINY_SEED_BASE = 100
RESNET18_SEED = 200
MOBILENET_V2_SEED = 300
BATCHNORM_SEED_OFFSET = 10_000

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


# ---------------------------------------------------------------- file writes


class AtomicTarget:
    """Yields a temporary path in a fresh folder beside the target whose file
    name equals the target's (torch.save names the archive's top folder after
    the file stem), then renames it into place only if the write succeeded."""

    def __init__(self, path):
        self.path = Path(path)

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.", dir=self.path.parent))
        return self.folder / self.path.name

    def __exit__(self, exc_type, exc, traceback):
        try:
            if exc_type is None:
                os.replace(self.folder / self.path.name, self.path)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
        return False


def save_npy(path, array):
    array = np.ascontiguousarray(array, dtype="<f4")
    with AtomicTarget(path) as tmp:
        np.save(tmp, array)


def save_checkpoint(path, obj):
    with AtomicTarget(path) as tmp:
        torch.save(obj, tmp)


def save_json(path, value):
    with AtomicTarget(path) as tmp:
        tmp.write_text(json.dumps(value, indent=2) + "\n")


def load_checkpoint(path):
    # Not weights_only: torch 1.13's restricted unpickler rejects plain floats
    # (BINFLOAT), which real training checkpoints hold in their metadata.
    return torch.load(path, map_location="cpu")


# ---------------------------------------------------------------- inputs


def randn_input(size, seed):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(1, 3, size, size, generator=generator)


def astronaut_input(size):
    return photo_input(ASTRONAUT_PNG, size)


def photo_input(path, size):
    """A photo as the user's pipeline prepares it: PIL convert("RGB"),
    resize((size, size), BICUBIC), /255, ImageNet normalisation."""
    from PIL import Image

    with Image.open(path) as image:
        resized = image.convert("RGB").resize((size, size), Image.BICUBIC)
        pixels = np.asarray(resized, dtype=np.float32)
    x = torch.from_numpy(pixels / 255.0).permute(2, 0, 1).unsqueeze(0).contiguous()
    mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    return (x - mean) / std


# ---------------------------------------------------------------- models


def randomize_batchnorm(model, seed):
    """Gives every BatchNorm non-trivial statistics and affine parameters, so
    that folding BN into the preceding conv changes the weights."""
    generator = torch.Generator().manual_seed(seed)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            channels = module.num_features

            def uniform(low, high):
                return low + (high - low) * torch.rand(channels, generator=generator)

            with torch.no_grad():
                module.weight.copy_(uniform(0.5, 1.5))
                module.bias.copy_(uniform(-0.25, 0.25))
                module.running_mean.copy_(uniform(-0.25, 0.25))
                module.running_var.copy_(uniform(0.5, 2.0))
                module.num_batches_tracked.fill_(1000)
    return model


def tiny_seed(preprocess, pool):
    return TINY_SEED_BASE + 2 * PREPROCESS_CHOICES.index(preprocess) + int(pool)


def make_tiny(preprocess, pool):
    seed = tiny_seed(preprocess, pool)
    torch.manual_seed(seed)
    model = TinyLaDeDa(preprocess=preprocess, pool=pool)
    return randomize_batchnorm(model, seed + BATCHNORM_SEED_OFFSET).eval()


def make_student():
    """The right_diag model inside the Student wrapper: the same tensors as
    tiny_ladeda_right_diag.pt, with keys "model.<name>"."""
    student = Student()
    student.model.load_state_dict(make_tiny("right_diag", False).state_dict())
    return student.eval()


def torchvision_constructor(name):
    import torchvision

    return getattr(torchvision.models, name)


def make_torchvision(name, num_classes, seed):
    torch.manual_seed(seed)
    model = torchvision_constructor(name)(weights=None, num_classes=num_classes)
    return randomize_batchnorm(model, seed + BATCHNORM_SEED_OFFSET).eval()


def tiny_arch(preprocess, pool):
    return f"tiny_ladeda:preprocess={preprocess},pool={'true' if pool else 'false'}"


def tiny_stem(preprocess, pool):
    return f"tiny_ladeda_{preprocess}{'_pool' if pool else ''}"


def run(model, x):
    """The model's exact output, computed in float64 on a copy (saved as
    float32): PyTorch's own float32 arithmetic strays by about 1e-5 of the
    output scale on the pooled variants (avg_pool2d sums 15,876 values in
    float32), which would hide edgeport's errors of the same size."""
    with torch.no_grad():
        return copy.deepcopy(model).double()(x.double()).numpy()


# ---------------------------------------------------------------- checkpoints


def adam_state_after_one_step(model, x):
    """A realistic optimizer state_dict (step counters, moment tensors, None and
    bool hyper-parameters) taken from a copy, so the saved weights are untouched."""
    trainee = copy.deepcopy(model).train()
    optimizer = torch.optim.Adam(trainee.parameters(), lr=1e-3)
    trainee(x).mean().backward()
    optimizer.step()
    return optimizer.state_dict()


def save_cuda_tagged(path, state_dict):
    """torch.save with every storage's location recorded as "cuda:0", as in a
    checkpoint written on a GPU machine, without needing a GPU here."""
    import torch.serialization as serialization

    original = serialization.location_tag
    serialization.location_tag = lambda storage: "cuda:0"
    try:
        save_checkpoint(path, state_dict)
    finally:
        serialization.location_tag = original
    with zipfile.ZipFile(path) as archive:
        pickle_name = next(n for n in archive.namelist() if n.endswith("/data.pkl"))
        if b"cuda:0" not in archive.read(pickle_name):
            raise RuntimeError(f"{path}: location tag cuda:0 was not written")


def unwrap(checkpoint, container_key, prefix):
    state_dict = checkpoint[container_key] if container_key else checkpoint
    if prefix:
        if not all(key.startswith(prefix) for key in state_dict):
            raise RuntimeError(f"not every key starts with {prefix!r}")
        state_dict = collections.OrderedDict((key[len(prefix):], value) for key, value in state_dict.items())
    return state_dict


class ModelsFolder:
    """Writes checkpoints with their expected outputs into one folder, checks
    each by reloading it from disk, and collects the manifest."""

    def __init__(self, folder, inputs):
        self.folder = Path(folder)
        self.inputs = inputs  # file name -> tensor, already written
        self.manifest = []
        self.summary = []

    def add(self, name, payload, source_model, make_reference, arch, inferred, description,
            container_key=None, prefix="", writer=save_checkpoint):
        """Expected outputs come from source_model; the checkpoint, reloaded
        from disk into make_reference(), must reproduce them exactly."""
        path = self.folder / name
        writer(path, payload)

        reference = make_reference()
        loaded = unwrap(load_checkpoint(path), container_key, prefix)
        reference.load_state_dict(collections.OrderedDict(
            (key, value.float() if value.is_floating_point() else value) for key, value in loaded.items()))
        reference.eval()

        stem = Path(name).stem
        cases = []
        worst = 0.0
        for input_name, x in self.inputs.items():
            output_name = f"{stem}.{Path(input_name).stem}.out.npy"
            save_npy(self.folder / output_name, run(source_model, x))
            written = np.load(self.folder / output_name)
            worst = max(worst, float(np.max(np.abs(written - run(reference, x).astype(np.float32)))))
            cases.append({"input": input_name, "output": output_name})
        if worst != 0.0:
            raise RuntimeError(f"{path}: reloaded checkpoint differs from the expected output by {worst}")

        parameters = parameter_count(reference)
        self.manifest.append({"checkpoint": name, "arch": arch, "inferred_arch": inferred,
                              "cases": cases, "parameters": parameters, "description": description})
        self.summary.append((name, len(loaded), parameters, path.stat().st_size))

    def finish(self):
        save_json(self.folder / "manifest.json", self.manifest)
        for name, keys, parameters, size in self.summary:
            print(f"  {name:48s} {keys:4d} keys {parameters:9d} params {size:9d} bytes  ok")


# ---------------------------------------------------------------- modes


def write_inputs(folder, inputs):
    for name, x in inputs.items():
        save_npy(Path(folder) / name, x.numpy())
        if not np.array_equal(np.load(Path(folder) / name), x.numpy()):
            raise RuntimeError(f"{folder / name}: reread input differs")


def write_small(folder):
    inputs = {"randn_256.npy": randn_input(256, RANDN_256_SEED), "astronaut_256.npy": astronaut_input(256)}
    write_inputs(folder, inputs)
    models = ModelsFolder(folder, inputs)

    for preprocess in PREPROCESS_CHOICES:
        for pool in (False, True):
            model = make_tiny(preprocess, pool)
            models.add(f"{tiny_stem(preprocess, pool)}.pt", model.state_dict(), model,
                       lambda p=preprocess, q=pool: TinyLaDeDa(p, q), tiny_arch(preprocess, pool),
                       inferred=(preprocess == "right_diag" and not pool),
                       description="plain state_dict from model.state_dict()")

    model = make_tiny("right_diag", False)
    state_dict = model.state_dict()
    arch = tiny_arch("right_diag", False)
    reference = lambda: TinyLaDeDa("right_diag", False)  # noqa: E731
    optimizer_state = adam_state_after_one_step(model, inputs["randn_256.npy"])

    models.add("tiny_ladeda_wrapped_state_dict.pt",
               {"epoch": 7, "state_dict": state_dict, "optimizer": optimizer_state,
                "metrics": {"val_auc": 0.912, "val_loss": 0.287}},
               model, reference, arch, True, 'training checkpoint, weights under "state_dict"',
               container_key="state_dict")
    models.add("tiny_ladeda_wrapped_model_state_dict.pt",
               {"epoch": 12, "model_state_dict": state_dict, "optimizer_state_dict": optimizer_state,
                "best_val_acc": 0.875},
               model, reference, arch, True, 'training checkpoint, weights under "model_state_dict"',
               container_key="model_state_dict")
    models.add("tiny_ladeda_wrapped_net.pt", {"net": state_dict, "acc": 87.5, "epoch": 3},
               model, reference, arch, True, 'weights under "net"', container_key="net")
    models.add("tiny_ladeda_dataparallel.pt", nn.DataParallel(model).state_dict(),
               model, reference, arch, True, 'nn.DataParallel state_dict, keys "module.<name>"', prefix="module.")
    student = make_student()
    models.add("tiny_ladeda_student.pt", student.state_dict(),
               student, reference, arch, True, 'Student wrapper state_dict, keys "model.<name>"', prefix="model.")

    half = collections.OrderedDict(
        (key, value.half() if value.is_floating_point() else value) for key, value in state_dict.items())
    rounded = reference()
    rounded.load_state_dict(collections.OrderedDict(
        (key, value.float() if value.is_floating_point() else value) for key, value in half.items()))
    models.add("tiny_ladeda_float16.pt", half, rounded.eval(), reference, arch, True,
               "weights stored as float16; outputs of the float32 model holding those values")

    models.add("tiny_ladeda_cuda_saved.pt", state_dict, model, reference, arch, True,
               'storages tagged "cuda:0" in data.pkl; load with map_location cpu', writer=save_cuda_tagged)
    models.finish()


def export_onnx(path, model, x, opset=13):
    import onnx

    # Raised for the empty "roi" constant of Resize (the NPR preprocess); the
    # exported shapes are right, and ONNX Runtime reproduces the outputs.
    warnings.filterwarnings("ignore", message="The shape inference of prim::Constant type is missing")
    with AtomicTarget(path) as tmp:
        torch.onnx.export(model, x, str(tmp), opset_version=opset, input_names=["input"],
                          output_names=["output"], do_constant_folding=True)
        exported = onnx.load(str(tmp))
        onnx.checker.check_model(exported)
        names = ([i.name for i in exported.graph.input], [o.name for o in exported.graph.output])
        if names != (["input"], ["output"]):
            raise RuntimeError(f"{path}: graph inputs/outputs are {names}")


def write_large(root):
    models_folder = Path(root) / "models"
    onnx_folder = Path(root) / "onnx"
    inputs_224 = {"randn_224.npy": randn_input(224, RANDN_224_SEED)}
    write_inputs(models_folder, inputs_224)
    models = ModelsFolder(models_folder, inputs_224)

    torchvision_models = {}
    for name, num_classes, seed in (("resnet18", 10, RESNET18_SEED), ("mobilenet_v2", 7, MOBILENET_V2_SEED)):
        model = make_torchvision(name, num_classes, seed)
        torchvision_models[name] = model
        models.add(f"{name}.pt", model.state_dict(), model,
                   lambda n=name, c=num_classes: torchvision_constructor(n)(weights=None, num_classes=c),
                   f"{name}:num_classes={num_classes}", inferred=True,
                   description="torchvision, weights=None, random BatchNorm statistics")
    models.finish()

    # The committed inputs, so that these cases and tests/fixtures/models agree.
    inputs_256 = {name: torch.from_numpy(np.load(SMALL_DIR / name)) for name in ("randn_256.npy", "astronaut_256.npy")}
    write_inputs(onnx_folder, inputs_256)
    write_inputs(onnx_folder, inputs_224)
    exports = [
        ("tiny_ladeda_right_diag", make_tiny("right_diag", False), inputs_256),
        ("tiny_ladeda_NPR", make_tiny("NPR", False), inputs_256),
        ("tiny_ladeda_right_diag_pool", make_tiny("right_diag", True), inputs_256),
        ("resnet18", torchvision_models["resnet18"], inputs_224),
        ("mobilenet_v2", torchvision_models["mobilenet_v2"], inputs_224),
    ]
    manifest = []
    for stem, model, inputs in exports:
        export_onnx(onnx_folder / f"{stem}.onnx", model, next(iter(inputs.values())))
        cases = []
        for input_name, x in inputs.items():
            output_name = f"{stem}.{Path(input_name).stem}.out.npy"
            save_npy(onnx_folder / output_name, run(model, x))
            cases.append({"input": input_name, "output": output_name})
        manifest.append({"model": f"{stem}.onnx", "cases": cases})
        print(f"  {stem}.onnx  {(onnx_folder / f'{stem}.onnx').stat().st_size} bytes  ok")
    save_json(onnx_folder / "manifest.json", manifest)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help=f"write {SMALL_DIR.relative_to(REPO_ROOT)}/")
    parser.add_argument("--large", action="store_true", help=f"write {LARGE_DIR.relative_to(REPO_ROOT)}/")
    parser.add_argument("--output", type=Path, help="write to this folder instead; one mode only")
    args = parser.parse_args()
    modes = [mode for mode in ("small", "large") if getattr(args, mode)]
    if not modes:
        parser.error("choose --small and/or --large")
    if args.output and len(modes) != 1:
        parser.error("--output needs exactly one of --small, --large")

    torch.set_num_threads(1)
    writers = {"small": (write_small, SMALL_DIR), "large": (write_large, LARGE_DIR)}
    for mode in modes:
        writer, default_target = writers[mode]
        target = args.output or default_target
        started = time.monotonic()
        print(f"--{mode} -> {target}")
        writer(target)
        print(f"--{mode} done in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
