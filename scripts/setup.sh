#!/usr/bin/env bash
# Installs what edgeport needs on Debian 12, skipping whatever is present.
#   scripts/setup.sh          build dependencies
#   scripts/setup.sh --test   plus the test oracles: real PyTorch, Node.js and
#                             the ONNX Runtime / LiteRT npm packages, and clang
#                             for the fuzz targets
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(
  g++ cmake ninja-build pkg-config
  libprotobuf-dev protobuf-compiler libonnx-dev
  libflatbuffers-dev flatbuffers-compiler
  libzip-dev zlib1g-dev nlohmann-json3-dev libcli11-dev
  libstb-dev libjpeg62-turbo-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # libdnnl-dev recommends the OpenCL loader and headers, and its CMake config
  # insists on them; --no-install-recommends would leave them out.
  libdnnl-dev ocl-icd-opencl-dev
)
test_packages=(python3-torch python3-torchvision python3-numpy python3-onnx python3-skimage
               # The fuzz targets: clang's libFuzzer and sanitizer runtimes, and the
               # OpenMP library clang links where GCC links libgomp.
               clang libclang-rt-14-dev libomp-dev)

wanted=("${build_packages[@]}")
with_tests=0
if [[ "${1:-}" == "--test" ]]; then
  with_tests=1
  wanted+=("${test_packages[@]}")
  command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)
fi

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ((with_tests)); then
  # onnxruntime-node's install script downloads CUDA; the CPU binary ships in the package.
  if [[ ! -d share/oracles/node_modules/onnxruntime-node || ! -d share/oracles/node_modules/@litertjs/core \
        || share/oracles/package-lock.json -nt share/oracles/node_modules ]]; then
    echo "setup: installing the test oracles (onnxruntime-node, @litertjs/core)"
    (cd share/oracles && npm ci --ignore-scripts --no-audit --no-fund)
    touch share/oracles/node_modules
  fi
fi
