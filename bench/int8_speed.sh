#!/usr/bin/env bash
# Full int8 against float32 on the trained sample, one thread, in one
# interleaved run of edgeport, ONNX Runtime and LiteRT (`edgeport bench
# --external`): the files of `export --quantization int8`, plus the static
# QDQ ONNX file with uint8 activations instead of int8 (zero points moved by
# 128, the same real values; written by tools/onnx_uint8_activations.py) to
# choose the activation type ONNX Runtime runs faster. The README's
# "Full int8" speed figures come from this script.
set -euo pipefail
source "$(dirname "$0")/sample_int8_files.sh"
/usr/bin/python3 tools/onnx_uint8_activations.py "$work/files/student_model.onnx" "$work/files/student_model_uint8.onnx"
cd "$work/files"
"$OLDPWD/build/edgeport" bench student_model_fp32.tflite student_model.tflite student_model_fp32.onnx \
  student_model.onnx student_model_uint8.onnx --external --rounds 5 --runs 50
