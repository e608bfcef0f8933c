#!/usr/bin/env bash
# Measures the choice behind export's default quantizer: the seed's
# (`--rounding nearest --no-bias-correction`) against the default (adaptive
# rounding with bias correction), on the bundled calibration photos (which the
# statistics come from) and on a held-out set of 33 other images (eleven other
# skimage photos, each real, resampled and blurred; tools/make_calibration_set.py
# --held-out). For each: the SQNR of the weight-only int8 ONNX file's
# patch-logit map against float, the verdicts kept at 0.5 and the largest
# change of an image's probability. Prints a markdown table
# (README.md, docs/quantization.md).
#
# usage: bench/export_defaults.sh [CHECKPOINT...]   (default: the sample and
# the high-scale checkpoint; any Tiny-LaDeDa checkpoint may be added)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh edgeport >/dev/null
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  models=(models/tiny_ladeda_sample.pt tests/fixtures/models/tiny_ladeda_high_scale.pt)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 tools/make_calibration_set.py --held-out "$work/held_out" >/dev/null
held_out=("$work"/held_out/*.png)

quantizers=("seed's: nearest rounding|--rounding nearest --no-bias-correction"
            "default: adaptive rounding + bias correction|")

echo "| checkpoint | quantizer | bundled SQNR dB | bundled verdicts kept | bundled max \|Δp\| | held-out SQNR dB | held-out verdicts kept | held-out max \|Δp\| |"
echo "|---|---|---|---|---|---|---|---|"
for model in "${models[@]}"; do
  for quantizer in "${quantizers[@]}"; do
    rm -rf "$work/export"
    # shellcheck disable=SC2086  # the flags are a word list
    ./build/edgeport export --model "$model" --output-dir "$work/export" --skip-tflite --min-sqnr 0 \
      --allow-decision-changes --json ${quantizer#*|} >"$work/summary.json"
    ./build/edgeport verify "$model" "$work/export/student_model.onnx" --random 0 --allow-decision-changes \
      $(printf -- '--input %s ' "${held_out[@]}") >"$work/held_out.txt"
    python3 - "$work/summary.json" "$work/held_out.txt" "$model" "${quantizer%%|*}" <<'PY'
import json, re, sys
summary_path, held_out_path, model, quantizer = sys.argv[1:]
summary = json.load(open(summary_path))
onnx = next(a for a in summary["artifacts"] if a["file"] == "student_model.onnx")["verification"]["edgeport_runtime"]
decisions = onnx["decisions"]
kept = sum(row["same_decision_at_0.5"] for row in decisions["per_input"])
bundled = f"{onnx['sqnr_db']:.2f} | {kept}/{len(decisions['per_input'])} | {decisions['max_probability_delta']:.3g}"
text = open(held_out_path).read()
sqnr = re.search(r"^overall: .*SQNR (\S+) dB", text, re.M).group(1)
delta = re.search(r"^decisions: p max \|delta\| (\S+)", text, re.M).group(1)
verdicts = re.search(r"same verdict at 0\.5 on (\d+/\d+)", text).group(1)
print(f"| {model.split('/')[-1]} | {quantizer} | {bundled} | {sqnr} | {verdicts} | {float(delta):.3g} |")
PY
  done
done
