#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/graph.h"

namespace edgeport {

// Reads subgraph 0 of a .tflite file into the NCHW IR. The FlatBuffer is
// verified first and every index, buffer and shape is checked, so a malformed
// file gives one Error naming the file and the problem.
//
// NHWC tensors become NCHW IR values; the model's interface keeps the file's
// shapes, with IR Transpose nodes where the two differ. TFLite TRANSPOSE ops
// are absorbed into that bookkeeping rather than copied. A CONV_2D,
// DEPTHWISE_CONV_2D or FULLY_CONNECTED with float input and an int8 filter
// becomes a Conv / Linear reading the int8 constant directly with hybrid=1;
// a DEQUANTIZE of an int8 constant becomes the IR's int8 constant +
// Dequantize; float16 constants behind DEQUANTIZE become float32 constants.
// Text metadata entries and Model.description land in graph.metadata.
Graph read_tflite(const std::filesystem::path& path);
Graph parse_tflite(const std::vector<std::uint8_t>& bytes, const std::string& origin);

}  // namespace edgeport
