#!/usr/bin/python3
"""Writes tests/fixtures/resize/: image resizes judged by Pillow, the library
the user's pipeline resizes with (Image.resize, the BICUBIC and BILINEAR
filters) and that torchvision's transforms.Resize calls on a PIL image.
tests/pipeline/pil_resample_test.cpp and image_test.cpp replay them. Run with
Debian's /usr/bin/python3 (python3-pil, numpy, torch, torchvision, skimage):

  /usr/bin/python3 tools/make_resize_vectors.py [--output-dir DIR]

manifest.json holds two lists; a "source" is a PNG, either a path relative to
the manifest's folder or an absolute path into skimage's bundled photos:
  "resize":       {"source", "filter": "bicubic"|"bilinear", "width",
                   "height", "expected"}: expected is Image.open(source)
                   .convert("RGB").resize((width, height), filter) as a uint8
                   [height, width, 3] .npy.
  "model_inputs": {"source", "filter", "width", "height", "mean", "std",
                   "expected"}: the float32 [1, 3, height, width] .npy that
                   torchvision's ToTensor + Normalize(mean, std) make of that
                   resize; for bilinear the resize is transforms.Resize itself.
Sources are PNG only, so that these cases test the resize alone; JPEG
decoding has its own cases (tools/make_jpeg_vectors.py).
"""

import argparse
import json
import pathlib
import shutil

import numpy as np
import torch
from PIL import Image
from torchvision import transforms

SKIMAGE_DATA = pathlib.Path("/usr/lib/python3/dist-packages/skimage/data")
FILTERS = {"bicubic": Image.BICUBIC, "bilinear": Image.BILINEAR}
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
NOISE_SEED = 20240612


def open_rgb(path):
    with Image.open(path) as image:
        return image.convert("RGB")


def write_sources(root):
    """Small committed sources: a 40x30 crop of a photo for upscaling, and
    noise that is half 0/255 so the cubic's overshoot is clipped often."""
    crop = open_rgb(SKIMAGE_DATA / "astronaut.png").crop((180, 90, 220, 120))
    crop.save(root / "astronaut_crop_40x30.png")
    generator = np.random.default_rng(NOISE_SEED)
    noise = generator.integers(0, 256, size=(23, 37, 3), dtype=np.uint8)
    extremes = generator.random(noise.shape) < 0.5
    noise[extremes] = np.where(generator.random(noise.shape) < 0.5, 0, 255)[extremes]
    Image.fromarray(noise, "RGB").save(root / "noise_37x23.png")
    return {"crop": "astronaut_crop_40x30.png", "noise": "noise_37x23.png"}


def resolve(root, source):
    path = pathlib.Path(source)
    return path if path.is_absolute() else root / path


def resize_cases(root, sources):
    photo = lambda name: str(SKIMAGE_DATA / name)  # noqa: E731
    sizes = [
        (photo("astronaut.png"), 256, 256),   # 512x512: exactly half
        (photo("coffee.png"), 256, 256),      # 600x400: a different factor per axis
        (photo("chelsea.png"), 200, 120),     # 451x300 to a non-square target
        (sources["crop"], 256, 256),          # 40x30: upscaling, 6.4x and 8.5x
    ]
    # Noise to odd sizes: one pixel, one axis only (PIL skips the other pass),
    # identity, up on one axis and down on the other.
    for width, height in [(1, 1), (37, 9), (80, 23), (37, 23), (5, 61), (13, 7), (111, 69), (19, 40)]:
        sizes.append((sources["noise"], width, height))
    cases = []
    for source, width, height in sizes:
        image = open_rgb(resolve(root, source))
        stem = pathlib.Path(source).stem
        for name, pil_filter in FILTERS.items():
            expected = f"{stem}_{width}x{height}_{name}.npy"
            np.save(root / expected, np.asarray(image.resize((width, height), pil_filter), dtype=np.uint8))
            cases.append({"source": source, "filter": name, "width": width, "height": height, "expected": expected})
    return cases


def model_input_cases(root):
    """What the user's pipeline (PIL bicubic) and the model authors' evaluation
    (transforms.Resize, PIL bilinear) feed the model, kept small."""
    source = str(SKIMAGE_DATA / "chelsea.png")
    image = open_rgb(source)
    width, height = 96, 64
    to_input = transforms.Compose([transforms.ToTensor(), transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD)])
    torchvision_resize = transforms.Resize((height, width))
    # transforms.Resize on a PIL image is Image.resize with BILINEAR; the
    # --resize bilinear option rests on that.
    assert np.array_equal(np.asarray(torchvision_resize(image)),
                          np.asarray(image.resize((width, height), Image.BILINEAR)))
    resized = {"bicubic": image.resize((width, height), Image.BICUBIC), "bilinear": torchvision_resize(image)}
    cases = []
    for name, picture in resized.items():
        expected = f"chelsea_input_{width}x{height}_{name}.npy"
        tensor = to_input(picture).unsqueeze(0)
        assert tensor.dtype == torch.float32 and torch.isfinite(tensor).all()
        np.save(root / expected, tensor.numpy())
        cases.append({"source": source, "filter": name, "width": width, "height": height, "mean": IMAGENET_MEAN,
                      "std": IMAGENET_STD, "expected": expected})
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "resize")
    args = parser.parse_args()
    if args.output_dir.exists():
        shutil.rmtree(args.output_dir)
    args.output_dir.mkdir(parents=True)
    torch.set_num_threads(1)
    sources = write_sources(args.output_dir)
    manifest = {"resize": resize_cases(args.output_dir, sources), "model_inputs": model_input_cases(args.output_dir)}
    (args.output_dir / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {len(manifest['resize'])} resize and {len(manifest['model_inputs'])} model-input cases "
          f"to {args.output_dir}")


if __name__ == "__main__":
    main()
