#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/graph.h"

namespace edgeport {

class OnnxEmitter;
struct QuantizedWeight;

// The "dynamic" format: Conv and Linear with quantized weights become the
// integer subgraphs of ONNX Runtime's quantize_dynamic.
//
//   x -> DynamicQuantizeLinear -> (x_q uint8, x_scale, x_zero_point)
//   ConvInteger(x_q, w uint8, x_zero_point, w_zero_point) | MatMulInteger(...)
//   -> Cast(float) -> Mul(x_scale * w_scale) -> Add(bias) [-> Relu | Clip]
//
// (w int8 with OnnxExportOptions::int8_weight_codes.) The op's file writes
// the integer product (its accumulator, as float, with the weight's zero
// points applied); the rest is shared.
struct IntegerProduct {
  // Writes the accumulator from the quantized activation [codes, scale, zero point].
  std::string (*write)(OnnxEmitter& emitter, const Node& node, const QuantizedWeight& weight,
                       const std::vector<std::string>& activation);
  // Axes after the channel axis of the op's output, over which per-channel
  // vectors broadcast: 2 for Conv (NCHW), 0 for Linear.
  std::size_t trailing_axes;
};

// Writes `node` in the dynamic form; false when its weight is not quantized
// and it stays float.
bool write_dynamic_quantized(OnnxEmitter& emitter, const Node& node, const IntegerProduct& product);

// A per-output-channel vector's shape: [channels, 1, ...] with `trailing_axes` ones.
Shape channel_shape(std::int64_t channels, std::size_t trailing_axes);
bool uniform_zero_point(const QuantParams& params);
// A new float tensor holding `input` converted by a Cast node named after `node_name`.
std::string cast_to_float(OnnxEmitter& emitter, const std::string& input, const std::string& node_name);

}  // namespace edgeport
