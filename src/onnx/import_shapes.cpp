#include "onnx/import_shapes.h"

#include <algorithm>

#include "onnx/onnx_importer.h"

namespace edgeport {

std::int64_t normalize_axis(const OnnxImporter& importer, std::int64_t axis, std::int64_t rank) {
  if (axis < -rank || axis >= rank) {
    importer.fail("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  }
  return axis < 0 ? axis + rank : axis;
}

std::vector<std::int64_t> int64_values(const OnnxImporter& importer, const Tensor& tensor, const std::string& what) {
  if (tensor.dtype() == DType::Int64) return {tensor.values<std::int64_t>().begin(), tensor.values<std::int64_t>().end()};
  if (tensor.dtype() == DType::Int32) return {tensor.values<std::int32_t>().begin(), tensor.values<std::int32_t>().end()};
  importer.fail(what + " must be int64, not " + std::string(dtype_name(tensor.dtype())));
}

Shape reshape_target(const OnnxImporter& importer, const Shape& input, const std::vector<std::int64_t>& spec,
                     bool allow_zero) {
  Shape out = spec;
  std::int64_t known = 1;
  int inferred = -1;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 0 && !allow_zero) {
      if (i >= input.size()) importer.fail("shape copies axis " + std::to_string(i) + " the input does not have");
      out[i] = input[i];
    }
    if (out[i] == -1) {
      if (inferred >= 0) importer.fail("shape has more than one -1");
      inferred = static_cast<int>(i);
    } else if (out[i] < 0) {
      importer.fail("shape has a negative extent");
    } else {
      known *= out[i];
    }
  }
  const std::int64_t total = shape_numel(input);
  if (inferred >= 0) {
    if (known == 0 || total % known != 0) importer.fail("cannot infer the -1 of the shape for " + shape_to_string(input));
    out[static_cast<std::size_t>(inferred)] = total / known;
  }
  if (shape_numel(out) != total) importer.fail("cannot reshape " + shape_to_string(input) + " to " + shape_to_string(out));
  return out;
}

std::vector<std::int64_t> axes_operand(OnnxImporter& importer, int input_from_opset) {
  if (importer.opset() < input_from_opset) return importer.attr_ints("axes", {});
  if (!importer.has_input(1)) return {};
  return int64_values(importer, importer.require_constant(1, "axes"), "axes");
}

Shape unsqueezed_shape(const OnnxImporter& importer, const Shape& input, std::vector<std::int64_t> axes) {
  const auto rank = static_cast<std::int64_t>(input.size() + axes.size());
  for (std::int64_t& axis : axes) axis = normalize_axis(importer, axis, rank);
  std::sort(axes.begin(), axes.end());
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) importer.fail("axes repeat");
  Shape out;
  std::size_t next = 0;
  for (std::int64_t axis = 0; axis < rank; ++axis) {
    if (std::binary_search(axes.begin(), axes.end(), axis)) {
      out.push_back(1);
    } else {
      out.push_back(input.at(next++));
    }
  }
  return out;
}

Shape squeezed_shape(const OnnxImporter& importer, const Shape& input, std::vector<std::int64_t> axes) {
  const auto rank = static_cast<std::int64_t>(input.size());
  for (std::int64_t& axis : axes) {
    axis = normalize_axis(importer, axis, rank);
    if (input[static_cast<std::size_t>(axis)] != 1) importer.fail("cannot squeeze axis " + std::to_string(axis) + " of " + shape_to_string(input));
  }
  Shape out;
  for (std::int64_t axis = 0; axis < rank; ++axis) {
    const bool squeezed = axes.empty() ? input[static_cast<std::size_t>(axis)] == 1
                                       : std::find(axes.begin(), axes.end(), axis) != axes.end();
    if (!squeezed) out.push_back(input[static_cast<std::size_t>(axis)]);
  }
  return out;
}

}  // namespace edgeport
