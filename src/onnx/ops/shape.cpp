// ONNX Shape: the input's extents, known at import (shapes are static in the
// IR), so it never becomes an IR node.
#include <algorithm>

#include "onnx/onnx_importer.h"

namespace edgeport {
namespace {

void import_shape(OnnxImporter& importer) {
  const Shape& shape = importer.input_shape(0);
  const auto rank = static_cast<std::int64_t>(shape.size());
  auto clamp_axis = [rank](std::int64_t axis) {
    return std::clamp(axis < 0 ? axis + rank : axis, std::int64_t{0}, rank);
  };
  const std::int64_t start = clamp_axis(importer.attr_int("start", 0));
  const std::int64_t end = clamp_axis(importer.attr_int("end", rank));
  std::vector<std::int64_t> extents;
  for (std::int64_t axis = start; axis < end; ++axis) extents.push_back(shape[static_cast<std::size_t>(axis)]);
  importer.bind_output_constant(
      0, Tensor::from_vector<std::int64_t>({static_cast<std::int64_t>(extents.size())}, extents));
}

const NodeImporterRegistration reader({.onnx_ops = {"Shape"}, .ir_ops = {}, .import = import_shape});

}  // namespace
}  // namespace edgeport
