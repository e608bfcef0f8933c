#!/usr/bin/env bash
# Wall time and peak memory of `edgeport export` on large models, as a user
# runs it: resnet18 from its state_dict checkpoint (default mode) and resnet50
# through ONNX (torch.onnx.export's file). Both have random weights
# (tools/make_fixtures.py --large, tools/make_torchvision_onnx.py), which does
# not change the work export does. resnet50's random weights lose 22 dB of
# SQNR to int8 over 54 layers, under export's default floor of 30 dB, so it
# runs with --min-sqnr 15 to finish and write its files as a user with such a
# model would. The README's export figures come from this script.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh edgeport >/dev/null
if [[ ! -f tests/generated/models/resnet18.pt ]]; then
  /usr/bin/python3 tools/make_fixtures.py --large >/dev/null
fi
if [[ ! -f tests/generated/torchvision_onnx/resnet50_opset13.onnx ]]; then
  /usr/bin/python3 tools/make_torchvision_onnx.py >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "Measured on $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(date -u +%Y-%m-%d)"
measure() {
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" ./build/edgeport export "$@" --output-dir "$work/$label" --quiet >/dev/null
  awk -v label="$label" '{ printf "%-22s %7.1f s %7.0f MiB peak\n", label, $1, $2 / 1024 }' "$work/time"
}
measure resnet18_state_dict --model tests/generated/models/resnet18.pt
measure resnet50_onnx --model tests/generated/torchvision_onnx/resnet50_opset13.onnx --min-sqnr 15
