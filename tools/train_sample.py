#!/usr/bin/python3
"""Trains the bundled sample Tiny-LaDeDa on a small real-vs-manipulated task
and writes the high-scale fixture derived from it. Run with Debian's
/usr/bin/python3 (it has torch, PIL and skimage's photos).

  (default)      models/tiny_ladeda_sample.pt: trains, reports train and
                 held-out accuracy, checks the file by loading it back.
  --high-scale   tests/fixtures/models/tiny_ladeda_high_scale.pt: the trained
                 sample under function-preserving rescalings whose BatchNorm
                 statistics and logits reach the range of the authors'
                 published ForenSynth checkpoint; needs the sample.
  --expected     tests/fixtures/models/trained.json and trained/*.npy: both
                 checkpoints' outputs on a few photos; needs both files.

Task. "Real" (label 0) is a square crop of a photo prepared exactly as the
user's pipeline prepares an image: PIL resize((256, 256), BICUBIC), /255,
ImageNet normalisation. "Fake" (label 1) is the same crop manipulated before
that preparation, half of them resampled (bicubic down to 0.3..0.55 of the
input's resolution, then back up), half Gaussian-blurred (radius 1.0..1.8
input pixels). JPEG re-encoding (quality 10..30) was tried as a third kind
and dropped: the model caught under half of the held-out JPEG copies.
Whole photos are held out for validation, so the held-out figure measures
photos the detector never saw, not other crops of the same photos.

Loss: binary cross-entropy on the image score, the mean of the patch logits.
That score is what the user thresholds, and it is exactly the authors' pooled
head (AvgPool2d over the map, then the Linear layer, which commute). A
per-patch loss would demand a confident verdict from every 9x9 patch,
including flat sky and shadow where resampling leaves no trace.

Deterministic: fixed seeds, one thread, data drawn from a seeded numpy
generator; the same command writes the same tensors.
"""

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fixtures import AtomicTarget, save_json, save_npy  # noqa: E402
from tiny_ladeda import TinyLaDeDa, parameter_count  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PATH = REPO_ROOT / "models" / "tiny_ladeda_sample.pt"
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "models"
HIGH_SCALE_PATH = FIXTURES / "tiny_ladeda_high_scale.pt"
EXPECTED_JSON = FIXTURES / "trained.json"
EXPECTED_DIR = FIXTURES / "trained"
SKIMAGE_DATA = Path("/usr/lib/python3/dist-packages/skimage/data")

# Photos with a stated free licence in skimage's docstrings (skimage/data/
# _fetchers.py). motorcycle_left and _right show the same scene, so they stay
# in the same split. Grey photos enter the pipeline through convert("RGB").
TRAIN_PHOTOS = ("chelsea.png", "hubble_deep_field.jpg", "ihc.png", "retina.jpg",
                "motorcycle_left.png", "motorcycle_right.png",
                "camera.png", "coins.png", "brick.png", "grass.png", "gravel.png", "cell.png")
HELD_OUT_PHOTOS = ("astronaut.png", "coffee.png", "rocket.jpg")
EXPECTED_PHOTOS = ("astronaut.png", "coffee.png", "rocket.jpg", "chelsea.png", "motorcycle_left.png")
INPUTS_STORED_FOR = ("astronaut.png",)

SIZE = 256
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

MODEL_SEED = 0
TRAIN_DATA_SEED = 1
HELD_OUT_DATA_SEED = 2
ORDER_SEED = 3
TRAIN_CROPS_PER_PHOTO = 24
HELD_OUT_CROPS_PER_PHOTO = 40
MAX_CROP = 352
EPOCHS = 12
BATCH_PAIRS = 8
WINDOW = 128
LEARNING_RATE = 0.01
# Full 256x256 inputs go through in batches of 4: as many pixels as a
# training batch, and on this CPU 16 of them at once run about 10x slower
# per image (the activations no longer fit in cache).
FULL_BATCH = 4

# Ranges of the authors' ForenSynth checkpoint that the high-scale fixture
# reaches (brief: layer1.0.bn2.running_var, layer1.0.bn2.weight, bn1.running_var).
LAYER1_BN2_VAR_RANGE = (3.7e-4, 1.2e-3)
LAYER1_BN2_GAMMA_RANGE = (7.1, 10.6)
BN1_VAR_RANGE = (0.013, 0.034)
HIGH_SCALE_MAX_LOGIT = 2.0e4


# ---------------------------------------------------------------- file writes


def save_checkpoint(path, state_dict):
    with AtomicTarget(path) as tmp:
        torch.save(state_dict, tmp)
    reloaded = torch.load(path, map_location="cpu")
    if list(reloaded) != list(state_dict) or not all(torch.equal(reloaded[k], state_dict[k]) for k in state_dict):
        raise RuntimeError(f"{path}: reloaded checkpoint differs from the one written")
    model = TinyLaDeDa()
    model.load_state_dict(reloaded, strict=True)
    print(f"  wrote {path.relative_to(REPO_ROOT)}: {len(reloaded)} keys, {parameter_count(model)} parameters, "
          f"{path.stat().st_size} bytes")


def load_model(path):
    model = TinyLaDeDa(preprocess="right_diag", pool=False)
    model.load_state_dict(torch.load(path, map_location="cpu"), strict=True)
    return model.eval()


# ---------------------------------------------------------------- images


def open_photo(name):
    with Image.open(SKIMAGE_DATA / name) as image:
        return image.convert("RGB")


def prepare_pixels(image):
    """The user's pipeline up to the division: resize((256, 256), BICUBIC)."""
    return np.asarray(image.resize((SIZE, SIZE), Image.BICUBIC), dtype=np.uint8)


def normalise(pixels):
    """uint8 [N,256,256,3] -> float32 [N,3,256,256]: /255, ImageNet mean/std."""
    x = torch.from_numpy(np.asarray(pixels, dtype=np.float32) / 255.0).permute(0, 3, 1, 2)
    mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    return ((x - mean) / std).contiguous()


def photo_input(name):
    return normalise(prepare_pixels(open_photo(name))[None])


def manipulate(image, kind, rng):
    """Strengths are set in the pixels of the 256x256 input the crop becomes,
    so that the pipeline's own downscale cannot erase them: the resampled
    detail is 0.3..0.55 of the input's resolution, the blur radius 1.0..1.8
    input pixels."""
    scale = image.width / SIZE
    if kind == "resample":
        side = round(SIZE * rng.uniform(0.3, 0.55))
        return image.resize((side, side), Image.BICUBIC).resize(image.size, Image.BICUBIC)
    if kind == "blur":
        return image.filter(ImageFilter.GaussianBlur(radius=rng.uniform(1.0, 1.8) * scale))
    raise ValueError(kind)


MANIPULATIONS = ("resample", "blur")


def make_pairs(photos, crops_per_photo, seed):
    """uint8 real and fake inputs, [N,256,256,3] each, pair i from the same
    crop; crop sides are uniform in [256, min(photo side, 352)]."""
    rng = np.random.default_rng(seed)
    real, fake, kinds = [], [], []
    for name in photos:
        photo = open_photo(name)
        largest = min(photo.width, photo.height, MAX_CROP)
        for index in range(crops_per_photo):
            side = int(rng.integers(SIZE, largest + 1))
            left = int(rng.integers(0, photo.width - side + 1))
            top = int(rng.integers(0, photo.height - side + 1))
            crop = photo.crop((left, top, left + side, top + side))
            kind = MANIPULATIONS[index % len(MANIPULATIONS)]
            real.append(prepare_pixels(crop))
            fake.append(prepare_pixels(manipulate(crop, kind, rng)))
            kinds.append(kind)
    return np.stack(real), np.stack(fake), kinds


# ---------------------------------------------------------------- training


def image_scores(model, x):
    """Mean patch logit per image, [N]."""
    return model(x).mean(dim=(1, 2, 3))


def train(model, real, fake):
    rng = np.random.default_rng(ORDER_SEED)
    optimiser = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    steps_per_epoch = len(real) // BATCH_PAIRS
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, EPOCHS * steps_per_epoch)
    labels = torch.cat([torch.zeros(BATCH_PAIRS), torch.ones(BATCH_PAIRS)])
    model.train()
    for epoch in range(EPOCHS):
        order = rng.permutation(len(real))
        total = 0.0
        for step in range(steps_per_epoch):
            picked = order[step * BATCH_PAIRS:(step + 1) * BATCH_PAIRS]
            # One random window per pair, the same in the real and the fake
            # input: the model is fully convolutional, and a 128x128 window
            # costs a quarter of the full input.
            top, left = (int(v) for v in rng.integers(0, SIZE - WINDOW + 1, size=2))
            window = np.concatenate([real[picked], fake[picked]])[:, top:top + WINDOW, left:left + WINDOW]
            loss = F.binary_cross_entropy_with_logits(image_scores(model, normalise(window)), labels)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item()
        print(f"  epoch {epoch + 1:2d}/{EPOCHS}  loss {total / steps_per_epoch:.4f}")


@torch.no_grad()
def recompute_batchnorm_statistics(model, real, fake):
    """Running statistics as the cumulative average over the training inputs
    (full 256x256, 2 pairs a batch), in train mode. bn1 has the
    authors' momentum 0.001, so after a few hundred steps its running
    statistics would still be mostly their initial values; this pass makes
    every BatchNorm's statistics those of the data it was trained on."""
    saved = {}
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            saved[module] = module.momentum
            module.reset_running_stats()
            module.momentum = None
    model.train()
    pairs = FULL_BATCH // 2
    for start in range(0, len(real), pairs):
        model(normalise(np.concatenate([real[start:start + pairs], fake[start:start + pairs]])))
    for module, momentum in saved.items():
        module.momentum = momentum
    model.eval()


@torch.no_grad()
def accuracy(model, real, fake, kinds=None):
    """Image-level accuracy of sigmoid(mean patch logit) > 0.5, overall and
    per manipulation of the fake half."""
    model.eval()
    def scores(pixels):
        return torch.cat([image_scores(model, normalise(pixels[i:i + FULL_BATCH]))
                          for i in range(0, len(pixels), FULL_BATCH)])

    real_ok = (scores(real) <= 0).numpy()
    fake_ok = (scores(fake) > 0).numpy()
    overall = (real_ok.sum() + fake_ok.sum()) / (len(real_ok) + len(fake_ok))
    detail = {"real": float(real_ok.mean())}
    if kinds is not None:
        for kind in MANIPULATIONS:
            mask = np.array([k == kind for k in kinds])
            detail[kind] = float(fake_ok[mask].mean())
    return float(overall), detail


def train_sample():
    torch.manual_seed(MODEL_SEED)
    model = TinyLaDeDa(preprocess="right_diag", pool=False)
    started = time.monotonic()
    train_real, train_fake, train_kinds = make_pairs(TRAIN_PHOTOS, TRAIN_CROPS_PER_PHOTO, TRAIN_DATA_SEED)
    held_real, held_fake, held_kinds = make_pairs(HELD_OUT_PHOTOS, HELD_OUT_CROPS_PER_PHOTO, HELD_OUT_DATA_SEED)
    print(f"  data: {len(train_real)} training pairs from {len(TRAIN_PHOTOS)} photos, "
          f"{len(held_real)} held-out pairs from {len(HELD_OUT_PHOTOS)} photos "
          f"({time.monotonic() - started:.1f} s)")
    train(model, train_real, train_fake)
    recompute_batchnorm_statistics(model, train_real, train_fake)
    train_acc, train_detail = accuracy(model, train_real, train_fake, train_kinds)
    held_acc, held_detail = accuracy(model, held_real, held_fake, held_kinds)
    print(f"  train accuracy    {train_acc:.4f}  {fmt(train_detail)}")
    print(f"  held-out accuracy {held_acc:.4f}  {fmt(held_detail)}")
    print(f"  whole photos, fake probability (real photos, expected < 0.5):")
    with torch.no_grad():
        for name in TRAIN_PHOTOS + HELD_OUT_PHOTOS:
            probability = torch.sigmoid(image_scores(model, photo_input(name)).double()).item()
            split = "held-out" if name in HELD_OUT_PHOTOS else "train"
            print(f"    {name:24s} {split:8s} {probability:.4f}")
    print(f"  training took {time.monotonic() - started:.1f} s")
    save_checkpoint(SAMPLE_PATH, {k: v.detach().clone() for k, v in model.state_dict().items()})


def fmt(detail):
    return "  ".join(f"{k} {v:.3f}" for k, v in detail.items())


# ---------------------------------------------------------------- high scale


def spread(values, low, high):
    """Targets spaced geometrically over [low, high], given to the channels in
    the order of their values."""
    targets = torch.tensor(np.geomspace(low, high, len(values)), dtype=torch.float64)
    result = torch.empty_like(targets)
    result[torch.argsort(values.double())] = targets
    return result


def rescale_conv_into_batchnorm(conv_weight, bn, target_var):
    """Scales output channel i of the convolution by c_i = sqrt(target_i /
    var_i). The BatchNorm then sees c_i times its input, so its running mean
    scales by c_i and its running variance by c_i^2; gamma absorbs the
    difference eps makes, sqrt(c^2 var + eps) / (c sqrt(var + eps)), so the
    layer computes the same function."""
    var = bn["running_var"].double()
    eps = 1e-5
    c = torch.sqrt(target_var / var)
    conv_weight.copy_((conv_weight.double() * c.view(-1, 1, 1, 1)).float())
    bn["running_mean"].copy_((bn["running_mean"].double() * c).float())
    new_var = var * c * c
    bn["weight"].copy_((bn["weight"].double() * torch.sqrt(new_var + eps) / (c * torch.sqrt(var + eps))).float())
    bn["running_var"].copy_(new_var.float())


def high_scale_state(state):
    state = {k: v.clone() for k, v in state.items()}
    group = lambda prefix: {name: state[f"{prefix}.{name}"] for name in ("weight", "bias", "running_mean", "running_var")}
    with torch.no_grad():
        bn1 = group("bn1")
        rescale_conv_into_batchnorm(state["conv2.weight"], bn1, spread(bn1["running_var"], *BN1_VAR_RANGE))
        bn2 = group("layer1.0.bn2")
        rescale_conv_into_batchnorm(state["layer1.0.conv2.weight"], bn2,
                                    spread(bn2["running_var"], *LAYER1_BN2_VAR_RANGE))
        # Output channel i of layer1's last BatchNorm is multiplied by s_i > 0
        # (gamma and beta together; ReLU commutes with it) and fc divides it
        # back out, times the common factor k that scales every logit.
        gamma = bn2["weight"].double()
        s = spread(gamma.abs(), *LAYER1_BN2_GAMMA_RANGE) / gamma.abs()
        bn2["weight"].copy_((gamma * s).float())
        bn2["bias"].copy_((bn2["bias"].double() * s).float())
        state["fc.weight"].copy_((state["fc.weight"].double() / s.view(1, -1)).float())
    return state


def max_abs_logit(model, names):
    with torch.no_grad():
        return max(model(photo_input(name)).abs().max().item() for name in names)


def make_high_scale():
    sample = load_model(SAMPLE_PATH)
    state = high_scale_state(sample.state_dict())
    model = TinyLaDeDa(preprocess="right_diag", pool=False)
    model.load_state_dict(state)
    model.eval()
    photos = TRAIN_PHOTOS + HELD_OUT_PHOTOS
    k = HIGH_SCALE_MAX_LOGIT / max_abs_logit(model, photos)
    with torch.no_grad():
        state["fc.weight"].copy_((state["fc.weight"].double() * k).float())
        state["fc.bias"].copy_((state["fc.bias"].double() * k).float())
    model.load_state_dict(state)
    print(f"  logit factor k = {k:.6g}")
    print(f"  {'photo':24s} {'sample mean logit':>18s} {'high-scale mean logit':>22s} {'ratio':>10s}")
    with torch.no_grad():
        for name in photos:
            x = photo_input(name)
            before = sample(x).double().mean().item()
            after = model(x).double().mean().item()
            if (before > 0) != (after > 0):
                raise RuntimeError(f"{name}: verdict changed ({before} -> {after})")
            print(f"  {name:24s} {before:18.6g} {after:22.6g} {after / before:10.6g}")
    print("  verdicts on every photo unchanged")
    print(f"  bn1.running_var            {state['bn1.running_var'].min().item():.4g} .. "
          f"{state['bn1.running_var'].max().item():.4g}")
    print(f"  layer1.0.bn2.running_var   {state['layer1.0.bn2.running_var'].min().item():.4g} .. "
          f"{state['layer1.0.bn2.running_var'].max().item():.4g}")
    print(f"  layer1.0.bn2.weight        {state['layer1.0.bn2.weight'].min().item():.4g} .. "
          f"{state['layer1.0.bn2.weight'].max().item():.4g}")
    print(f"  fc.weight                  {state['fc.weight'].min().item():.4g} .. "
          f"{state['fc.weight'].max().item():.4g}")
    print(f"  max |patch logit| on photos {max_abs_logit(model, photos):.6g}")
    save_checkpoint(HIGH_SCALE_PATH, state)


# ---------------------------------------------------------------- expected outputs


def sigmoid(x):
    """Without overflow: the high-scale mean logits reach -1e3."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    return math.exp(x) / (1.0 + math.exp(x))


# Manipulated copies of held-out photos, so that the expected outputs include
# fake verdicts: a 256x256 centre crop resampled (or blurred) as in training,
# with fixed strengths, saved as PNG beside the expected outputs.
MANIPULATED_PHOTOS = {"astronaut_resampled.png": ("astronaut.png", "resample", 0.4),
                      "coffee_blurred.png": ("coffee.png", "blur", 1.4)}


def write_manipulated(file_name):
    source, kind, strength = MANIPULATED_PHOTOS[file_name]
    photo = open_photo(source)
    left, top = (photo.width - SIZE) // 2, (photo.height - SIZE) // 2
    crop = photo.crop((left, top, left + SIZE, top + SIZE))
    if kind == "resample":
        side = round(SIZE * strength)
        fake = crop.resize((side, side), Image.BICUBIC).resize(crop.size, Image.BICUBIC)
    else:
        fake = crop.filter(ImageFilter.GaussianBlur(radius=strength))
    path = FIXTURES / "trained" / file_name
    with AtomicTarget(path) as tmp:
        fake.save(tmp, format="PNG")
    return path


def write_expected():
    checkpoints = {"tiny_ladeda_sample": SAMPLE_PATH, "tiny_ladeda_high_scale": HIGH_SCALE_PATH}
    manifest = {"description": "Outputs of the trained checkpoints on skimage photos, computed by real PyTorch "
                               "(tools/train_sample.py --expected). input: the photo as the user's pipeline prepares "
                               "it (PIL convert('RGB'), resize((256, 256), BICUBIC), /255, ImageNet mean/std), "
                               "float32 [1,3,256,256], stored for a few photos only. output: the patch-logit map, "
                               "float32 [1,1,126,126]. probability: sigmoid of the mean patch logit, computed in "
                               "float64 from the float32 map. Paths are relative to this file's folder.",
                "arch": "tiny_ladeda:pool=false,preprocess=right_diag",
                "checkpoints": []}
    for stem, path in checkpoints.items():
        model = load_model(path)
        entry = {"checkpoint": os.path.relpath(path, FIXTURES), "cases": []}
        photos = [SKIMAGE_DATA / name for name in EXPECTED_PHOTOS]
        photos += [write_manipulated(name) for name in MANIPULATED_PHOTOS]
        for photo in photos:
            name = photo.name
            with Image.open(photo) as image:
                x = normalise(prepare_pixels(image.convert("RGB"))[None])
            with torch.no_grad():
                out = model(x)
            probability = sigmoid(out.double().mean().item())
            photo_stem = Path(name).stem
            output_file = f"trained/{stem}.{photo_stem}.out.npy"
            save_npy(FIXTURES / output_file, out.numpy())
            case = {"photo": str(photo) if name in EXPECTED_PHOTOS else os.path.relpath(photo, FIXTURES),
                    "split": "train" if name in TRAIN_PHOTOS else "held-out",
                    "label": "fake" if name in MANIPULATED_PHOTOS else "real",
                    "output": output_file, "probability": probability}
            if name in INPUTS_STORED_FOR:
                input_file = f"trained/{photo_stem}.in.npy"
                save_npy(FIXTURES / input_file, x.numpy())
                case["input"] = input_file
            entry["cases"].append(case)
            print(f"  {stem:24s} {name:24s} probability {probability:.6g}")
        manifest["checkpoints"].append(entry)
    save_json(EXPECTED_JSON, manifest)
    print(f"  wrote {EXPECTED_JSON.relative_to(REPO_ROOT)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--high-scale", action="store_true", help=f"write {HIGH_SCALE_PATH.relative_to(REPO_ROOT)}")
    parser.add_argument("--expected", action="store_true", help=f"write {EXPECTED_JSON.relative_to(REPO_ROOT)}")
    parser.add_argument("--skip-training", action="store_true", help="use the existing sample")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if not args.skip_training:
        print(f"training -> {SAMPLE_PATH.relative_to(REPO_ROOT)}")
        train_sample()
    if args.high_scale:
        print(f"high scale -> {HIGH_SCALE_PATH.relative_to(REPO_ROOT)}")
        make_high_scale()
    if args.expected:
        print(f"expected outputs -> {EXPECTED_JSON.relative_to(REPO_ROOT)}")
        write_expected()


if __name__ == "__main__":
    main()
