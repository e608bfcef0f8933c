#!/usr/bin/env bash
# Set-up, build, then the main job on the bundled sample model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh edgeport
./build/edgeport export --model models/tiny_ladeda_sample.pt --output-dir outputs/deployment
