#!/usr/bin/python3
"""Writes tests/fixtures/jpeg/: JPEG files and the pixels Pillow decodes from
them, the library the user's pipeline opens photos with
(Image.open(path).convert("RGB"), Debian's Pillow on the system
libjpeg-turbo). tests/pipeline/jpeg_decoder_test.cpp replays them. Run with
Debian's /usr/bin/python3 (python3-pil, numpy, skimage):

  /usr/bin/python3 tools/make_jpeg_vectors.py [--output-dir DIR]

The small JPEGs are written here, with Pillow, from crops of skimage's PNGs;
rocket.jpg is skimage's own photo. manifest.json holds three lists; a
"source" is relative to the manifest's folder or absolute:
  "decode": {"source", "expected"}: expected is Image.open(source)
            .convert("RGB") as a uint8 [height, width, 3] .npy.
  "resize": {"source", "filter", "width", "height", "expected"}: that image
            resized by Image.resize, as a uint8 [height, width, 3] .npy.
  "refuse": {"source", "pillow_error"}: damaged files Pillow cannot open or
            load; pillow_error is its message, for the reader. Damaged files
            Pillow does decode are "decode" cases.
"""

import argparse
import json
import pathlib
import shutil
import struct

import numpy as np
from PIL import Image, features

SKIMAGE_DATA = pathlib.Path("/usr/lib/python3/dist-packages/skimage/data")
ROCKET = SKIMAGE_DATA / "rocket.jpg"
GARBAGE_SEED = 20240613


def crop(name, box, mode):
    with Image.open(SKIMAGE_DATA / name) as image:
        return image.convert(mode).crop(box)


def write_sources(root):
    """Each JPEG takes a different path through libjpeg: chroma upsampling
    (4:2:0 at an odd size, so edge MCUs are partial; 4:2:2; none at 4:4:4),
    progressive scans, one grey component, and Adobe CMYK (stored inverted,
    which Pillow assumes)."""
    colour = crop("chelsea.png", (150, 60, 310, 180), "RGB")
    odd = crop("chelsea.png", (150, 60, 311, 181), "RGB")
    sources = {
        "chelsea_420_161x121.jpg": (odd, {"quality": 85, "subsampling": 2}),
        "chelsea_422_160x120.jpg": (colour, {"quality": 85, "subsampling": 1}),
        "chelsea_444_160x120.jpg": (colour, {"quality": 95, "subsampling": 0}),
        "chelsea_progressive_160x120.jpg": (colour, {"quality": 85, "progressive": True}),
        "camera_grey_160x120.jpg": (crop("camera.png", (200, 100, 360, 220), "L"), {"quality": 85}),
        "chelsea_cmyk_160x120.jpg": (colour.convert("CMYK"), {"quality": 90}),
    }
    for name, (image, options) in sources.items():
        image.save(root / name, "JPEG", **options)
    with Image.open(root / "chelsea_cmyk_160x120.jpg") as image:
        assert image.mode == "CMYK" and "adobe" in image.info, "expected an Adobe CMYK JPEG"
    with Image.open(root / "camera_grey_160x120.jpg") as image:
        assert image.mode == "L"
    return list(sources)


def pillow_refusal(path):
    try:
        with Image.open(path) as image:
            image.load()
    except Exception as error:  # noqa: BLE001 - any refusal counts; its text is recorded
        return f"{type(error).__name__}: {error}".replace(str(path), path.name)
    return None


def sof_dimensions_replaced(data, width, height):
    """The bytes with the first SOF0/SOF2 frame header declaring width x height."""
    position = 2
    while position < len(data):
        marker, length = data[position + 1], struct.unpack(">H", data[position + 2:position + 4])[0]
        if marker in (0xC0, 0xC2):
            size_at = position + 5  # after FF Cx, length, precision
            return data[:size_at] + struct.pack(">HH", height, width) + data[size_at + 4:]
        position += 2 + length
    raise ValueError("no SOF0/SOF2 marker")


def write_broken(root):
    """Damaged files, each judged by Pillow: cut in the middle of the scan;
    lacking only the EOI marker (progressive, and baseline at two sizes:
    whether Pillow still decodes one depends on whether libjpeg reads ahead
    past the end before the last line is out); garbage after SOI; empty; and a
    valid file whose header claims 400 megapixels (PIL's decompression-bomb
    error). Returns the ones Pillow decodes and the ones it refuses."""
    baseline = (root / "chelsea_444_160x120.jpg").read_bytes()
    odd_size = (root / "chelsea_420_161x121.jpg").read_bytes()
    progressive = (root / "chelsea_progressive_160x120.jpg").read_bytes()
    garbage = np.random.default_rng(GARBAGE_SEED).integers(0, 256, size=200, dtype=np.uint8).tobytes()
    broken = {
        "broken_cut_in_scan.jpg": baseline[:len(baseline) // 2],
        "broken_444_no_eoi.jpg": baseline[:-2],
        "broken_420_no_eoi.jpg": odd_size[:-2],
        "broken_progressive_no_eoi.jpg": progressive[:-2],
        "broken_garbage_after_soi.jpg": b"\xff\xd8\xff" + garbage,
        "broken_empty.jpg": b"",
        "broken_20000x20000.jpg": sof_dimensions_replaced(baseline, 20000, 20000),
    }
    decoded, refused = [], []
    for name, data in broken.items():
        (root / name).write_bytes(data)
        refusal = pillow_refusal(root / name)
        if refusal is None:
            decoded.append(name)
        else:
            refused.append({"source": name, "pillow_error": refusal})
    assert len(refused) >= 5, "Pillow should refuse most damaged files"
    return decoded, refused


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "jpeg")
    args = parser.parse_args()
    assert features.check_feature("libjpeg_turbo"), "Pillow must decode with libjpeg-turbo, as Debian's does"
    if args.output_dir.exists():
        shutil.rmtree(args.output_dir)
    args.output_dir.mkdir(parents=True)
    root = args.output_dir
    sources = write_sources(root)
    tolerated, refuse = write_broken(root)
    decode = []
    for source in [str(ROCKET)] + sources + tolerated:
        with Image.open(source if pathlib.Path(source).is_absolute() else root / source) as image:
            pixels = np.asarray(image.convert("RGB"), dtype=np.uint8)
        expected = pathlib.Path(source).stem + ".npy"
        np.save(root / expected, pixels)
        decode.append({"source": source, "expected": expected})
    with Image.open(ROCKET) as image:
        resized = image.convert("RGB").resize((256, 256), Image.BICUBIC)
    np.save(root / "rocket_256x256_bicubic.npy", np.asarray(resized, dtype=np.uint8))
    resize = [{"source": str(ROCKET), "filter": "bicubic", "width": 256, "height": 256,
               "expected": "rocket_256x256_bicubic.npy"}]
    manifest = {"decode": decode, "resize": resize, "refuse": refuse}
    (root / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {len(decode)} decode, {len(resize)} resize and {len(manifest['refuse'])} refusal cases to {root}")


if __name__ == "__main__":
    main()
