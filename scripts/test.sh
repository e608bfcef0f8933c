#!/usr/bin/env bash
# Set-up, build, and every test: the readers of untrusted files (checkpoint,
# ONNX, TFLite, .eqm) under AddressSanitizer and UBSan, a short run of every
# fuzz target, then unit and end-to-end tests judged by real PyTorch, ONNX
# Runtime and LiteRT.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each stage's wall time, so a slow CI run shows where its time went.
stage_start=$SECONDS
stage() {
  echo "   ($((SECONDS - stage_start)) s)"
  stage_start=$SECONDS
  echo "== $1"
}

echo "== set-up"
scripts/setup.sh --test
stage "release build"
scripts/build.sh

stage "file readers under AddressSanitizer and UBSan"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DEDGEPORT_SANITIZE=ON >/dev/null
ninja -C build-asan test_pytorch test_onnx test_tflite test_eqm
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
./build-asan/test_pytorch --gtest_brief=1
# The malformed, truncated and corrupted-file tests of the other readers.
./build-asan/test_onnx --gtest_brief=1 \
  --gtest_filter='OnnxReader.FullCheck*:OnnxReader.Names*:OnnxReader.Refuses*:OnnxReader.Rejects*:OnnxReader.Survives*:OnnxInfo.Fails*'
./build-asan/test_tflite --gtest_brief=1 --gtest_filter='TfliteMalformed.*:TfliteReader.*'
./build-asan/test_eqm --gtest_brief=1
unset ASAN_OPTIONS UBSAN_OPTIONS

stage "file readers under libFuzzer, a few seconds each"
scripts/fuzz.sh --seconds 8

stage "fixtures from real PyTorch (resnet18, mobilenet_v2, torch.onnx.export files)"
/usr/bin/python3 tools/make_fixtures.py --large
/usr/bin/python3 tools/make_ladeda_fixtures.py
/usr/bin/python3 tools/make_torchvision_onnx.py

stage "tests"
ctest --test-dir build --output-on-failure -j2 --timeout 900
stage "done"
