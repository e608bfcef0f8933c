#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace edgeport {

class OnnxImporter;

// The output shape of ONNX Reshape: 0 copies the input extent (unless
// allowzero), one -1 takes what is left. Fails through the importer.
Shape reshape_target(const OnnxImporter& importer, const Shape& input, const std::vector<std::int64_t>& spec,
                     bool allow_zero);

// Axes of Unsqueeze / Squeeze / ReduceMean: from the attribute before
// `input_from_opset`, from input 1 after; empty when absent.
std::vector<std::int64_t> axes_operand(OnnxImporter& importer, int input_from_opset);

// The values of an integer tensor (int32 or int64) widened to int64.
std::vector<std::int64_t> int64_values(const OnnxImporter& importer, const Tensor& tensor, const std::string& what);

// Normalizes an axis in [-rank, rank) to [0, rank).
std::int64_t normalize_axis(const OnnxImporter& importer, std::int64_t axis, std::int64_t rank);

// The shapes of Unsqueeze and Squeeze.
Shape unsqueezed_shape(const OnnxImporter& importer, const Shape& input, std::vector<std::int64_t> axes);
Shape squeezed_shape(const OnnxImporter& importer, const Shape& input, std::vector<std::int64_t> axes);

}  // namespace edgeport
