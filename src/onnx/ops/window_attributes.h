#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/attributes.h"
#include "core/graph.h"

namespace edgeport {

class OnnxImporter;

// Sliding windows (Conv, ConvInteger, MaxPool, AveragePool) spell their
// attributes alike in ONNX and in the IR; the IR's pads [top, left, bottom,
// right] are ONNX's [H_begin, W_begin, H_end, W_end].

// Attribute `name` of the current node, which must hold two values (2-d windows only).
std::vector<std::int64_t> window_ints(OnnxImporter& importer, const std::string& name,
                                      const std::vector<std::int64_t>& fallback);

// The IR pads of the current node's 2-d window, honouring auto_pad.
std::vector<std::int64_t> window_pads(OnnxImporter& importer, const std::vector<std::int64_t>& kernel,
                                      const std::vector<std::int64_t>& strides,
                                      const std::vector<std::int64_t>& dilations);

// The IR attributes of a Conv or ConvInteger node: strides, dilations, pads, group.
Attributes conv_window_attributes(OnnxImporter& importer);

// Writes kernel_shape (from the [O, I, kH, kW] weight), strides, pads,
// dilations and group of an IR Conv or ConvInteger.
void set_conv_window_attributes(onnx::NodeProto& proto, const Node& node, const Shape& weight);

}  // namespace edgeport
