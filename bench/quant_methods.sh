#!/usr/bin/env bash
# Measures the calibration-driven weight quantization methods (bias
# correction, adaptive rounding, output-error clipping) on the Tiny-LaDeDa
# sample and high-scale checkpoints: model SQNR of the patch-logit map against
# float on the calibration photos and on held-out photos, and the wall time of
# each `edgeport quantize` run. Prints a markdown table (docs/quantization.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh edgeport >/dev/null
photos=/usr/lib/python3/dist-packages/skimage/data
calibration_photos=(astronaut.png coffee.png chelsea.png rocket.jpg)
held_out_photos=(camera.png motorcycle_left.png brick.png retina.jpg grass.png)
models=(models/tiny_ladeda_sample.pt tests/fixtures/models/tiny_ladeda_high_scale.pt)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/calibration"
for photo in "${calibration_photos[@]}"; do ln -s "$photos/$photo" "$work/calibration/$photo"; done
held_out=()
for photo in "${held_out_photos[@]}"; do held_out+=(--input "$photos/$photo"); done

methods=("nearest|" "+ bias correction|--bias-correction" "adaptive rounding|--rounding adaptive"
         "adaptive rounding + bias correction|--rounding adaptive --bias-correction" "--clip output|--clip output")
schemes=("asymmetric per-channel (default)|" "--symmetric|--symmetric")

echo "Calibration photos (statistics and the first SQNR column): ${calibration_photos[*]}."
echo "Held-out photos: ${held_out_photos[*]}. SQNR is the mean over the photos of the"
echo "per-photo SQNR (dB) of the quantized patch-logit map against float; 8 bits, per channel,"
echo "percentile 99.9 clip with the guard unless the row says --clip output."
echo
echo "| model | scheme | method | SQNR calibration dB | SQNR held-out dB | quantize wall s |"
echo "|---|---|---|---|---|---|"
for model in "${models[@]}"; do
  for scheme in "${schemes[@]}"; do
    for method in "${methods[@]}"; do
      start=$(date +%s.%N)
      # shellcheck disable=SC2086  # the flags are word lists
      ./build/edgeport quantize "$model" --dry-run --random 0 --calibration-dir "$work/calibration" \
        "${held_out[@]}" ${scheme#*|} ${method#*|} --report-json "$work/report.json" >/dev/null
      end=$(date +%s.%N)
      python3 - "$work/report.json" "$work/calibration" "$model" "${scheme%%|*}" "${method%%|*}" \
        "$(echo "$end - $start" | bc)" <<'PY'
import json, sys
report, calibration, model, scheme, method, seconds = sys.argv[1:]
inputs = json.load(open(report))["model"]["inputs"]
def mean(rows):
    return sum(row["sqnr_db"] for row in rows) / len(rows)
calibrated = [row for row in inputs if row["input"].startswith(calibration)]
held_out = [row for row in inputs if not row["input"].startswith(calibration)]
print(f"| {model.split('/')[-1]} | {scheme} | {method} | {mean(calibrated):.2f} | {mean(held_out):.2f} | {float(seconds):.2f} |")
PY
    done
  done
done
