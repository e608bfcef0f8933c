#!/usr/bin/env bash
# Set-up, build, and every test: the checkpoint reader under AddressSanitizer
# and UBSan, then unit and end-to-end tests judged by real PyTorch, ONNX
# Runtime and LiteRT.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
scripts/build.sh

echo "== checkpoint reader under AddressSanitizer and UBSan"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DEDGEPORT_SANITIZE=ON >/dev/null
ninja -C build-asan test_pytorch
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ./build-asan/test_pytorch --gtest_brief=1

echo "== fixtures from real PyTorch (resnet18, mobilenet_v2, torch.onnx.export files)"
/usr/bin/python3 tools/make_fixtures.py --large

echo "== tests"
ctest --test-dir build --output-on-failure -j2 --timeout 900
