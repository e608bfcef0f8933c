#!/usr/bin/env python3
"""Rewrites a static QDQ ONNX file's int8 activations as uint8.

Every per-tensor QuantizeLinear/DequantizeLinear zero point of type int8
becomes uint8 with 128 added, and the declared types of the quantized values
follow: the same real values, codes shifted by 128. Per-channel (weight) zero
points stay int8. bench/int8_speed.sh times both files in ONNX Runtime.

usage: onnx_uint8_activations.py in.onnx out.onnx
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def main(source, target):
    model = onnx.load(source)
    graph = model.graph
    initializers = {tensor.name: tensor for tensor in graph.initializer}
    shifted = set()
    for node in graph.node:
        if node.op_type not in ("QuantizeLinear", "DequantizeLinear") or len(node.input) < 3:
            continue
        zero_point = initializers.get(node.input[2])
        if zero_point is None or zero_point.name in shifted:
            continue
        codes = numpy_helper.to_array(zero_point)
        if codes.ndim != 0 or codes.dtype != np.int8:
            continue
        zero_point.CopyFrom(numpy_helper.from_array((codes.astype(np.int32) + 128).astype(np.uint8), zero_point.name))
        shifted.add(zero_point.name)
    quantized = {node.output[0] for node in graph.node
                 if node.op_type == "QuantizeLinear" and node.input[2] in shifted}
    for value in list(graph.value_info) + list(graph.output):
        if value.name in quantized:
            value.type.tensor_type.elem_type = onnx.TensorProto.UINT8
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, target)
    print(f"{target}: {len(shifted)} zero points moved to uint8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    main(sys.argv[1], sys.argv[2])
