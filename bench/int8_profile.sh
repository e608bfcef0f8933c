#!/usr/bin/env bash
# Where the full-int8 and float32 files of the trained sample spend their
# time, operator by operator, one thread: ONNX Runtime's own profiler
# (bench/ort_node_times.js) on the two ONNX files, and LiteRT on every
# operator prefix of the two TFLite files (bench/tflite_prefixes.py; an
# operator's time is roughly the difference of neighbouring prefixes). The
# per-operator figures behind the README's "Full int8" speed paragraph.
set -euo pipefail
source "$(dirname "$0")/sample_int8_files.sh"
/usr/bin/python3 -c "import numpy; numpy.save('$work/input.npy', numpy.random.default_rng(0).standard_normal((1, 3, 256, 256)).astype(numpy.float32))"
for file in student_model_fp32.onnx student_model.onnx; do
  node bench/ort_node_times.js 60 "$work/files/$file" "$work/input.npy"
done
prefixes=()
for file in student_model_fp32.tflite student_model.tflite; do
  while read -r path op tensor; do
    echo "$(basename "$path"): ends on $op -> $tensor"
    prefixes+=("$(basename "$path")")
  done < <(python3 bench/tflite_prefixes.py "$work/files/$file" "$work/prefixes")
done
edgeport="$PWD/build/edgeport"
cd "$work/prefixes"
"$edgeport" bench "${prefixes[@]}" --external --rounds 3 --runs 30 | grep -E "^model|LiteRT \("
