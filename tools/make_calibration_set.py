#!/usr/bin/python3
"""Writes data/calibration/: the photos export and verify measure quantized
files on when the user names none. Run with Debian's /usr/bin/python3 (it has
PIL and skimage's photos).

Four public-domain / CC0 photos from python3-skimage 0.19.3, each as three
256x256 PNGs: the photo itself ("real"), a resampled copy and a blurred copy
("fake"), manipulated the way tools/train_sample.py makes its fake inputs, so
that a detector's set holds both verdicts. Each photo is cut to its largest
centred square first (train_sample.py trains on square crops, and a square
keeps the manipulation's strength the same along both axes), manipulated at
its own resolution, then prepared as the user's pipeline prepares an image:
PIL resize((256, 256), BICUBIC). Edgeport's loader resizes 256x256 to
256x256 as the identity, so the files are the model's input pixels.

Strengths are fixed at the middle of train_sample.py's ranges (resampled
detail 0.42 of the input's resolution, blur radius 1.4 input pixels): no
random draw, so the same command writes the same bytes. Every file is written
to a temporary name and renamed into place; README.md last.

`--held-out DIR` writes the same three forms of eleven other skimage photos
into DIR instead (not the repository): the held-out set that
bench/export_defaults.sh measures decisions on.
"""

import argparse
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageFilter

REPO_ROOT = Path(__file__).resolve().parent.parent
TARGET = REPO_ROOT / "data" / "calibration"
SKIMAGE_DATA = Path("/usr/lib/python3/dist-packages/skimage/data")
SIZE = 256
RESAMPLE_FRACTION = 0.42
BLUR_RADIUS = 1.4

# Source and licence as stated in skimage/data/_fetchers.py's docstrings.
PHOTOS = {
    "astronaut.png": "Eileen Collins, NASA (public domain)",
    "chelsea.png": "Stefan van der Walt's cat Chelsea (CC0 by the photographer)",
    "coffee.png": "a cup of coffee, Rachel Michetti (CC0 by the photographer)",
    "rocket.jpg": "SpaceX Falcon 9 launch (released into the public domain by SpaceX)",
}


def centred_square(image):
    side = min(image.width, image.height)
    left = (image.width - side) // 2
    top = (image.height - side) // 2
    return image.crop((left, top, left + side, top + side))


def resampled(square):
    side = round(SIZE * RESAMPLE_FRACTION)
    return square.resize((side, side), Image.BICUBIC).resize(square.size, Image.BICUBIC)


def blurred(square):
    return square.filter(ImageFilter.GaussianBlur(radius=BLUR_RADIUS * square.width / SIZE))


MANIPULATIONS = {
    "": ("none (real)", lambda square: square),
    "_resampled": (f"bicubic down to {round(SIZE * RESAMPLE_FRACTION)}x{round(SIZE * RESAMPLE_FRACTION)} "
                   f"input pixels and back up (fake)", resampled),
    "_blurred": (f"Gaussian blur, radius {BLUR_RADIUS} input pixels (fake)", blurred),
}


def write_atomically(path, write):
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        write(temporary)
        # mkstemp creates the file private; these are data for every user.
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


# Photos the sample model never calibrates on (and, except cell, ihc, retina,
# hubble_deep_field and the motorcycles, never trained on either).
HELD_OUT_PHOTOS = ("camera.png", "motorcycle_left.png", "motorcycle_right.png", "brick.png", "retina.jpg",
                   "grass.png", "gravel.png", "coins.png", "hubble_deep_field.jpg", "ihc.png", "cell.png")


def write_forms(photo, target):
    """The real, resampled and blurred 256x256 forms of one photo; their names and descriptions."""
    with Image.open(SKIMAGE_DATA / photo) as opened:
        square = centred_square(opened.convert("RGB"))
    written = []
    for suffix, (description, manipulate) in MANIPULATIONS.items():
        name = f"{Path(photo).stem}{suffix}.png"
        prepared = manipulate(square).resize((SIZE, SIZE), Image.BICUBIC)
        write_atomically(target / name, lambda path: prepared.save(path, format="PNG", optimize=True))
        written.append((name, square, description))
    return written


def write_held_out(target):
    target.mkdir(parents=True, exist_ok=True)
    count = sum(len(write_forms(photo, target)) for photo in HELD_OUT_PHOTOS)
    print(f"wrote {count} held-out images to {target}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--held-out", type=Path, help="write the held-out set into this directory instead")
    arguments = parser.parse_args()
    if arguments.held_out:
        write_held_out(arguments.held_out)
        return
    TARGET.mkdir(parents=True, exist_ok=True)
    rows = []
    for photo, licence in PHOTOS.items():
        for name, square, description in write_forms(photo, TARGET):
            rows.append(f"| {name} | skimage `{photo}`, centred {square.width}x{square.height} square | "
                        f"{description} | {licence} |")
    readme = "\n".join([
        "# Calibration photos",
        "",
        "The images `edgeport export` and `edgeport verify` measure files on when no",
        "`--calibration-dir` or `--input` is given. Written by `/usr/bin/python3",
        "tools/make_calibration_set.py` from the photos of Debian's python3-skimage",
        "0.19.3 (`/usr/lib/python3/dist-packages/skimage/data/`); sources and licences",
        "as stated in the docstrings of `skimage/data/_fetchers.py`.",
        "",
        "Every file is 256x256 RGB: the centred square of the photo, manipulated at",
        "its own resolution, then PIL `resize((256, 256), BICUBIC)`. The copies are",
        "made the way `tools/train_sample.py` makes its fake inputs, at the middle",
        "of its strength ranges, so a detector meets both verdicts here.",
        "",
        "| file | source photo | manipulation | licence |",
        "|---|---|---|---|",
        *rows,
        "",
        "Held-out photos for tests are the other skimage photos (camera,",
        "motorcycle_left, brick, retina, grass, gravel, ...), never these four.",
        "",
    ])
    write_atomically(TARGET / "README.md", lambda path: Path(path).write_text(readme))
    total = sum(path.stat().st_size for path in TARGET.iterdir())
    print(f"wrote {len(rows)} images and README.md to {TARGET.relative_to(REPO_ROOT)}: {total} bytes")


if __name__ == "__main__":
    main()
