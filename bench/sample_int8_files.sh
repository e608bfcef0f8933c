# Sourced by the full-int8 bench scripts: from the repository root, builds
# edgeport and exports the trained sample with `--quantization int8` into
# "$work/files" (float32 and int8, ONNX and TFLite); $work is removed on exit.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/build.sh edgeport >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./build/edgeport export --model models/tiny_ladeda_sample.pt --output-dir "$work/files" --quantization int8 \
  --min-sqnr 19 --quiet >/dev/null
