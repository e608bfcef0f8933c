#!/usr/bin/env bash
# Resident memory of `edgeport export` over time, by stage: samples VmRSS
# every 0.1 s and prints each stage's peak with the last line export had
# printed when it was reached. Arguments go to `edgeport export`; without
# them it measures resnet50 through ONNX as bench/export_time.sh does.
# docs/runtime.md's per-phase memory figures come from this script.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh edgeport >/dev/null
args=("$@")
if [[ ${#args[@]} -eq 0 ]]; then
  if [[ ! -f tests/generated/torchvision_onnx/resnet50_opset13.onnx ]]; then
    /usr/bin/python3 tools/make_torchvision_onnx.py >/dev/null
  fi
  args=(--model tests/generated/torchvision_onnx/resnet50_opset13.onnx --min-sqnr 15)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./build/edgeport export "${args[@]}" --output-dir "$work/out" >"$work/stdout" 2>&1 &
pid=$!
while [[ -r /proc/$pid/status ]]; do
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
  [[ -n $rss ]] && printf '%s\t%s\n' "$rss" "$(wc -l <"$work/stdout")" >>"$work/samples"
  sleep 0.1
done
wait "$pid" || { cat "$work/stdout"; exit 1; }
awk -F'\t' '
  FNR == NR { line[FNR] = $0; if ($0 ~ /^\[[0-9]+\/[0-9]+\] /) stage_from[FNR] = $0; next }
  {
    stage = "start"; last = ""
    for (i = 1; i <= $2; ++i) { if (i in stage_from) stage = stage_from[i]; if (line[i] !~ /^ *$/) last = line[i] }
    if (!(stage in peak)) order[++stages] = stage
    if ($1 > peak[stage]) { peak[stage] = $1; at[stage] = last }
    if ($1 > overall) overall = $1
  }
  END {
    for (s = 1; s <= stages; ++s) {
      printf "%6.0f MiB  %s\n", peak[order[s]] / 1024, order[s]
      printf "            last line then: %s\n", substr(at[order[s]], 1, 100)
    }
    printf "%6.0f MiB  peak of all samples\n", overall / 1024
  }' "$work/stdout" "$work/samples"
