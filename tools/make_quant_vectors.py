#!/usr/bin/python3
"""Writes tests/fixtures/quant/: weight quantization test vectors computed
with NumPy, independently of edgeport's C++ quantizer. Run with Debian's
/usr/bin/python3 (NumPy, and torch for one cross-check).

  /usr/bin/python3 tools/make_quant_vectors.py [--output-dir DIR]

The arithmetic contract both sides follow (docs/quantization.md):
- weights are float32, widened to float64; all arithmetic is float64;
- qmin = -2^(bits-1), qmax = 2^(bits-1)-1; symmetric codes are [-qmax, qmax];
- the clip value c is the P-th percentile of |x| (np.percentile, "linear"
  method, the interpolation torch.quantile also uses), or the MSE-optimal
  candidate absmax*k/100, k = 100..1, ties to the larger; values are clamped
  to [-c, c] before the parameters are computed;
- asymmetric: lo = min(min(x), 0), hi = max(max(x), 0),
  scale = float32((hi - lo) / (qmax - qmin)),
  zero_point = clip(round(qmin - lo / scale), qmin, qmax);
  symmetric: scale = float32(max|x| / qmax), zero_point = 0;
  a scale below float32(1e-8) becomes float32(1e-8);
- code = clip(round(x / scale) + zero_point, code range), with the float32
  scale; round() is half to even (np.round);
- dequantized = float32(scale) * float32(code - zero_point), in float32;
- the guard: a clip that makes the channel's summed squared error
  sum((x - dequantized)^2) larger than without the clip is not applied.

Output: one .npy per input tensor (float32) and vectors.json:
  {"rounding": "half_to_even",
   "tensors": {name: file},
   "cases": [{"id", "tensor", "bits", "symmetric", "per_channel", "clip",
              "clip_percentile", "clip_scope", "clip_guard", "axis",
              "scale": [float32 values], "zero_point": [...],
              "clip_value": [per channel, empty without clipping],
              "clip_applied": [...], "clip_rejected": [...],
              "codes": [flattened, C order], "sqnr_db": number or null,
              "max_abs_error": number}]}
"""

import argparse
import json
import math
from pathlib import Path

import numpy as np

MIN_SCALE = np.float32(1e-8)
MSE_CANDIDATES = 100
# A guard decision or an MSE search whose two best candidates are closer than
# this (relative) could flip on summation order; the generator refuses them.
AMBIGUITY = 1e-9


def code_range(bits, symmetric):
    qmax = 2 ** (bits - 1) - 1
    return (-qmax if symmetric else -qmax - 1), qmax


def compute_params(x_min, x_max, bits, symmetric):
    lo_code, hi_code = code_range(bits, symmetric)
    if symmetric:
        absmax = max(abs(x_min), abs(x_max))
        scale = max(np.float32(absmax / hi_code), MIN_SCALE)
        return np.float32(scale), 0
    lo = min(x_min, 0.0)
    hi = max(x_max, 0.0)
    scale = max(np.float32((hi - lo) / (hi_code - lo_code)), MIN_SCALE)
    zero_point = np.clip(np.round(lo_code - lo / np.float64(scale)), lo_code, hi_code)
    return np.float32(scale), int(zero_point)


def fit(values, clip, bits, symmetric):
    """values: float64 1-d. Returns (scale, zero_point, codes, squared_error, max_abs_error)."""
    lo_code, hi_code = code_range(bits, symmetric)
    clamped = np.clip(values, -clip, clip)
    if values.size:
        scale, zero_point = compute_params(float(clamped.min()), float(clamped.max()), bits, symmetric)
    else:
        scale, zero_point = compute_params(0.0, 0.0, bits, symmetric)
    codes = np.clip(np.round(clamped / np.float64(scale)) + zero_point, lo_code, hi_code).astype(np.int64)
    dequantized = np.float32(scale) * (codes - zero_point).astype(np.float32)
    error = values - dequantized.astype(np.float64)
    squared = float(np.sum(error * error))
    max_abs = float(np.max(np.abs(error))) if values.size else 0.0
    return scale, zero_point, codes, squared, max_abs


def check_unambiguous(a, b, what):
    if a != b and abs(a - b) <= AMBIGUITY * max(abs(a), abs(b)):
        raise SystemExit(f"ambiguous {what}: {a!r} vs {b!r}; change the data")


def mse_clip(channels, bits, symmetric):
    absmax = max((float(np.max(np.abs(c))) for c in channels if c.size), default=0.0)
    if absmax == 0.0:
        return 0.0
    errors = []
    for k in range(MSE_CANDIDATES, 0, -1):
        clip = absmax * (k / MSE_CANDIDATES)
        errors.append((sum(fit(c, clip, bits, symmetric)[3] for c in channels), clip))
    best_error = min(e for e, _ in errors)
    best_clip = next(c for e, c in errors if e == best_error)  # first = largest clip
    runner_up = min((e for e, c in errors if c != best_clip), default=best_error)
    check_unambiguous(best_error, runner_up, "MSE search")
    return best_clip


def percentile_of_abs(values, percentile):
    return float(np.percentile(np.abs(values), percentile)) if values.size else 0.0


def quantize(tensor, bits, symmetric, per_channel, clip, percentile, scope, guard):
    values = tensor.astype(np.float64)
    axis = 0 if per_channel and tensor.ndim >= 2 else -1
    channels = list(values.reshape(tensor.shape[0], -1)) if axis == 0 else [values.reshape(-1)]
    one_clip = scope == "tensor" or axis < 0
    tensor_clip = math.inf
    if clip != "none" and one_clip:
        tensor_clip = percentile_of_abs(values.reshape(-1), percentile) if clip == "percentile" else \
            mse_clip(channels, bits, symmetric)
    result = {"axis": axis, "scale": [], "zero_point": [], "clip_value": [], "clip_applied": [],
              "clip_rejected": [], "codes": []}
    signal = noise = max_abs = 0.0
    for channel in channels:
        scale, zero_point, codes, squared, channel_max = fit(channel, math.inf, bits, symmetric)
        if clip != "none":
            if one_clip:
                c = tensor_clip
            else:
                c = percentile_of_abs(channel, percentile) if clip == "percentile" else \
                    mse_clip([channel], bits, symmetric)
            applied = rejected = False
            if channel.size and c < float(np.max(np.abs(channel))):
                clipped = fit(channel, c, bits, symmetric)
                check_unambiguous(clipped[3], squared, "guard decision")
                if guard and clipped[3] > squared:
                    rejected = True
                else:
                    applied = True
                    scale, zero_point, codes, squared, channel_max = clipped
            result["clip_value"].append(c)
            result["clip_applied"].append(applied)
            result["clip_rejected"].append(rejected)
        result["scale"].append(float(scale))
        result["zero_point"].append(zero_point)
        result["codes"].extend(int(code) for code in codes)
        signal += float(np.sum(channel * channel))
        noise += squared
        max_abs = max(max_abs, channel_max)
    if noise == 0.0:
        result["sqnr_db"] = None
    elif signal == 0.0:
        raise SystemExit("a case with error but no signal has no finite SQNR")
    else:
        result["sqnr_db"] = 10.0 * math.log10(signal / noise)
    result["max_abs_error"] = max_abs
    return result


def make_tensors():
    rng = np.random.default_rng(20240611)
    gains = np.array([0.05, 0.2, 1.0, 3.0, 0.5, 0.01, 2.0, 0.8])[:, None, None, None]
    conv = (rng.standard_normal((8, 3, 3, 3)) * gains).astype(np.float32)
    linear = (rng.standard_normal((4, 10)) * 0.3).astype(np.float32)
    depthwise = (rng.standard_normal((6, 1, 3, 3)) * 0.7 + 0.1).astype(np.float32)
    vector = (rng.standard_normal(16) * 1.5).astype(np.float32)
    signs = np.stack([
        -np.abs(rng.standard_normal(12)) - 0.1,   # negative only
        np.abs(rng.standard_normal(12)) + 0.2,    # positive only
        rng.standard_normal(12),                  # both signs
        np.full(12, -0.75),                       # constant, negative
        np.zeros(12),                             # all zeros
    ]).astype(np.float32)
    outlier = (rng.standard_normal((4, 27)) * 0.1).astype(np.float32)
    outlier[1, 13] = 6.0  # one large weight in a channel of small ones: information, not noise
    return {
        "conv": conv,
        "linear": linear,
        "depthwise": depthwise,
        "vector": vector,
        "signs": signs,
        "outlier": outlier,
        "constant": np.full((3, 4), 0.37, dtype=np.float32),
        "zeros": np.zeros((2, 5), dtype=np.float32),
        "single": np.array([-0.42], dtype=np.float32),
    }


# (clip method, percentile, scope); the percentile/scope are ignored for none and mse-per-channel.
CLIP_MODES = [
    ("none", 99.9, "channel"),
    ("percentile", 99.9, "channel"),
    ("percentile", 99.9, "tensor"),
    ("percentile", 90.0, "channel"),
    ("mse", 99.9, "channel"),
    ("mse", 99.9, "tensor"),
]


def make_cases(tensors):
    cases = []

    def add(name, bits, symmetric, per_channel, mode, guard=True):
        clip, percentile, scope = mode
        case = {"id": f"{name}-b{bits}-{'sym' if symmetric else 'asym'}-"
                      f"{'pc' if per_channel else 'pt'}-{clip}{percentile if clip == 'percentile' else ''}-"
                      f"{scope}-{'guard' if guard else 'noguard'}",
                "tensor": name, "bits": bits, "symmetric": symmetric, "per_channel": per_channel,
                "clip": clip, "clip_percentile": percentile, "clip_scope": scope, "clip_guard": guard}
        case.update(quantize(tensors[name], bits, symmetric, per_channel, clip, percentile, scope, guard))
        cases.append(case)

    for name in ("conv", "linear", "depthwise", "vector"):
        for bits in (2, 4, 8):
            for symmetric in (False, True):
                for per_channel in (True, False):
                    for mode in CLIP_MODES:
                        if not per_channel and mode[2] == "tensor":
                            continue  # per tensor, the scopes coincide
                        add(name, bits, symmetric, per_channel, mode)
    for name in ("signs", "outlier", "constant", "zeros", "single"):
        for bits in (2, 4, 8):
            for symmetric in (False, True):
                for mode in CLIP_MODES[:3]:
                    add(name, bits, symmetric, True, mode)
    for bits in (4, 8):
        for mode in CLIP_MODES[1:3]:
            add("outlier", bits, False, True, mode, guard=False)
            add("conv", bits, False, True, mode, guard=False)
    return cases


def cross_check_percentile_with_torch(tensors):
    """np.percentile's "linear" method is the interpolation torch.quantile uses."""
    import torch
    for name, tensor in tensors.items():
        values = np.abs(tensor.astype(np.float64).reshape(-1))
        for percentile in (99.9, 90.0, 50.0):
            ours = np.percentile(values, percentile)
            theirs = torch.quantile(torch.from_numpy(values), percentile / 100.0).item()
            if not math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-15):
                raise SystemExit(f"{name}: np.percentile {ours!r} != torch.quantile {theirs!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_dir = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "quant"
    parser.add_argument("--output-dir", type=Path, default=default_dir)
    args = parser.parse_args()
    args.output_dir.mkdir(parents=True, exist_ok=True)

    tensors = make_tensors()
    cross_check_percentile_with_torch(tensors)
    files = {}
    for name, tensor in tensors.items():
        files[name] = f"{name}.npy"
        np.save(args.output_dir / files[name], tensor)
    cases = make_cases(tensors)
    # One case per line keeps the file small and its diffs readable.
    lines = ",\n".join(json.dumps(case) for case in cases)
    (args.output_dir / "vectors.json").write_text(
        f'{{"rounding": "half_to_even",\n"tensors": {json.dumps(files)},\n"cases": [\n{lines}\n]}}\n')
    print(f"wrote {len(cases)} cases over {len(tensors)} tensors to {args.output_dir}")


if __name__ == "__main__":
    main()
