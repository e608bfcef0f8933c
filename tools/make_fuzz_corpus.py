#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets, fuzz/corpus/<target>/.

Run with Debian's /usr/bin/python3 (it has torch, numpy and PIL) after
building edgeport (scripts/build.sh):
    /usr/bin/python3 tools/make_fuzz_corpus.py [--edgeport build/edgeport]

Each seed is a small valid file, so the fuzzers start from inputs that reach
deep into each reader rather than from its first rejection:
  pytorch_checkpoint  torch.save of small state_dicts (plain, wrapped in a
                      training checkpoint, views over shared storage, every
                      dtype, pickle protocols 2, 4 and 5), and the bundled
                      sample models/tiny_ladeda_sample.pt
  pytorch_pickle      the data.pkl record of each of those checkpoints
  onnx                edgeport export of the sample (float32, int8 QDQ, int8
                      ConvInteger, float16), and torch.onnx.export of a small
                      CNN whose flatten is a Shape/Gather/Concat subgraph
  tflite              edgeport export of the sample (float32, int8 weights,
                      float16, NHWC interface)
  eqm                 edgeport quantize of the sample
  npy                 numpy.save of every dtype edgeport reads, 0-d and empty
                      arrays, and format versions 1.0, 2.0 and 3.0
  image               PIL-written PNGs (RGB, grey, palette, RGBA, 16-bit) and
                      JPEGs (baseline, progressive, grey, CMYK, 4:2:0, 4:4:4),
                      a few pixels each
Existing seeds are replaced; findings the fuzzers add by hand (regression
inputs, named finding-*) are kept.
"""

import argparse
import io
import pathlib
import subprocess
import tempfile
import zipfile

import numpy
import torch
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
SAMPLE = ROOT / "models" / "tiny_ladeda_sample.pt"


def clear(target):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    for seed in folder.iterdir():
        if not seed.name.startswith("finding-"):
            seed.unlink()
    return folder


def state_dicts():
    torch.manual_seed(0)
    plain = {
        "conv.weight": torch.randn(2, 1, 3, 3),
        "conv.bias": torch.randn(2),
        "bn.running_mean": torch.zeros(2),
        "bn.num_batches_tracked": torch.tensor(7),
    }
    wrapped = {
        "epoch": 3,
        "optimizer": {"lr": 0.1, "betas": (0.9, 0.999)},
        "state_dict": {"module.fc.weight": torch.randn(3, 2).half(), "module.fc.bias": torch.randn(3).bfloat16()},
    }
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    views = {
        "base": base,
        "transposed": base.t(),
        "row": base[1],
        "column": base[:, 2],
        "expanded": torch.tensor([1.5]).expand(4),
        "scalar": torch.tensor(2.5, dtype=torch.float64),
        "empty": torch.zeros(0, 3),
    }
    dtypes = {
        str(dtype).removeprefix("torch."): torch.arange(3).to(dtype)
        for dtype in (torch.float64, torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8, torch.bool)
    }
    return {"plain": plain, "wrapped": wrapped, "views": views, "dtypes": dtypes}


def write_checkpoints():
    checkpoints = clear("pytorch_checkpoint")
    pickles = clear("pytorch_pickle")
    sources = []
    for name, contents in state_dicts().items():
        for protocol in (2, 4, 5) if name == "plain" else (2,):
            path = checkpoints / f"{name}_protocol{protocol}.pt"
            torch.save(contents, path, pickle_protocol=protocol)
            sources.append(path)
    sample = checkpoints / SAMPLE.name
    sample.write_bytes(SAMPLE.read_bytes())
    sources.append(sample)
    for path in sources:
        with zipfile.ZipFile(path) as archive:
            record = next(name for name in archive.namelist() if name.endswith("/data.pkl"))
            (pickles / f"{path.stem}.pkl").write_bytes(archive.read(record))


class ShapeFlatten(torch.nn.Module):
    """x.view(x.size(0), -1): torch.onnx.export writes the size as Shape, Gather, Unsqueeze, Concat."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, stride=2, padding=1)
        self.bn = torch.nn.BatchNorm2d(4)
        self.fc = torch.nn.Linear(4 * 2 * 2, 3)

    def forward(self, x):
        x = torch.nn.functional.max_pool2d(torch.relu(self.bn(self.conv(x))), 2)
        return self.fc(x.view(x.size(0), -1))


def export_sample(edgeport, work, name, *flags):
    output = work / name
    subprocess.run([str(edgeport), "export", "--model", str(SAMPLE), "--output-dir", str(output), "--quiet",
                    *flags], check=True, stdout=subprocess.DEVNULL)
    return output


def write_model_files(edgeport):
    onnx_folder = clear("onnx")
    tflite_folder = clear("tflite")
    eqm_folder = clear("eqm")
    with tempfile.TemporaryDirectory() as scratch:
        work = pathlib.Path(scratch)
        exports = {
            "int8": export_sample(edgeport, work, "int8"),
            # Activations quantized at run time miss the sample's SQNR floor; the file is what matters here.
            "dynamic": export_sample(edgeport, work, "dynamic", "--onnx-quant-format", "dynamic", "--skip-tflite",
                                     "--force"),
            "float16": export_sample(edgeport, work, "float16", "--quantization", "float16"),
            "nhwc": export_sample(edgeport, work, "nhwc", "--layout", "nhwc", "--skip-onnx"),
        }
        # Every export also writes the float32 files; a seed that repeats another adds nothing.
        written = set()
        for label, folder in exports.items():
            for model in sorted(folder.glob("*.onnx")) + sorted(folder.glob("*.tflite")):
                contents = model.read_bytes()
                if contents in written:
                    continue
                written.add(contents)
                target = onnx_folder if model.suffix == ".onnx" else tflite_folder
                (target / f"sample_{label}_{model.name}").write_bytes(contents)
        subprocess.run([str(edgeport), "quantize", str(SAMPLE), "--output", str(eqm_folder / "sample.eqm"), "--random",
                        "1"], check=True, stdout=subprocess.DEVNULL)

    torch.manual_seed(0)
    model = ShapeFlatten().eval()
    buffer = io.BytesIO()
    torch.onnx.export(model, torch.randn(1, 3, 8, 8), buffer, opset_version=13, input_names=["input"],
                      output_names=["output"], do_constant_folding=False)
    (onnx_folder / "torch_shape_flatten.onnx").write_bytes(buffer.getvalue())


def write_npy():
    folder = clear("npy")
    arrays = {
        "float32": numpy.arange(12, dtype="<f4").reshape(1, 3, 2, 2),
        "float16": numpy.array([0.5, -2.0], dtype="<f2"),
        "float64_scalar": numpy.array(3.25, dtype="<f8"),
        "int64_empty": numpy.zeros((0, 3), dtype="<i8"),
        "int32": numpy.array([[1, -2]], dtype="<i4"),
        "int16": numpy.array([7], dtype="<i2"),
        "int8": numpy.array([-1, 2, 3], dtype="i1"),
        "uint8": numpy.array([[255, 0]], dtype="u1"),
        "bool": numpy.array([True, False]),
    }
    for name, array in arrays.items():
        numpy.save(folder / f"{name}.npy", array)
    for version in ((2, 0), (3, 0)):
        with open(folder / f"float32_version{version[0]}.npy", "wb") as stream:
            numpy.lib.format.write_array(stream, arrays["float32"], version=version)


def write_images():
    folder = clear("image")
    pixels = numpy.arange(5 * 4 * 3, dtype=numpy.uint8).reshape(4, 5, 3) * 4
    rgb = Image.fromarray(pixels, "RGB")
    rgb.save(folder / "rgb.png")
    rgb.convert("L").save(folder / "grey.png")
    rgb.convert("P").save(folder / "palette.png")
    rgb.convert("RGBA").save(folder / "rgba.png")
    Image.fromarray(numpy.arange(12, dtype=numpy.uint16).reshape(3, 4) * 5000).save(folder / "grey16.png")
    photo = Image.fromarray(numpy.arange(17 * 9 * 3, dtype=numpy.uint8).reshape(9, 17, 3), "RGB")
    photo.save(folder / "baseline.jpg", quality=90)
    photo.save(folder / "progressive.jpg", quality=90, progressive=True)
    photo.save(folder / "subsampled_420.jpg", quality=75, subsampling=2)
    photo.save(folder / "full_444.jpg", quality=75, subsampling=0)
    photo.convert("L").save(folder / "grey.jpg")
    photo.convert("CMYK").save(folder / "cmyk.jpg")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edgeport", type=pathlib.Path, default=ROOT / "build" / "edgeport")
    args = parser.parse_args()
    write_checkpoints()
    write_model_files(args.edgeport.resolve())
    write_npy()
    write_images()


if __name__ == "__main__":
    main()
