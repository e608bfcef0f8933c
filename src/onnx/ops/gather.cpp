// ONNX Gather on known tensors (picking extents out of a Shape), folded at
// import; the IR has no Gather.
#include <algorithm>

#include "onnx/import_shapes.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/constant_folding.h"

namespace edgeport {
namespace {

void fold_gather(OnnxImporter& importer) {
  const Tensor& data = *importer.constant_input(0);
  const Tensor& indices = *importer.constant_input(1);
  if (data.rank() == 0) importer.fail("cannot gather from a scalar");
  const std::int64_t axis = normalize_axis(importer, importer.attr_int("axis", 0), data.rank());
  const std::int64_t extent = data.dim(static_cast<int>(axis));
  const std::vector<std::int64_t> index_values = int64_values(importer, indices, "indices");
  Shape shape(data.shape().begin(), data.shape().begin() + axis);
  shape.insert(shape.end(), indices.shape().begin(), indices.shape().end());
  shape.insert(shape.end(), data.shape().begin() + axis + 1, data.shape().end());
  check_fold_size(importer, shape);
  std::int64_t outer = 1;
  for (std::int64_t d = 0; d < axis; ++d) outer *= data.dim(static_cast<int>(d));
  const std::int64_t inner = data.numel() / std::max<std::int64_t>(outer * extent, 1);
  Tensor result(data.dtype(), shape);
  std::int64_t next = 0;
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t index : index_values) {
      if (index < -extent || index >= extent) {
        importer.fail("index " + std::to_string(index) + " is out of range for extent " + std::to_string(extent));
      }
      const std::int64_t source = index < 0 ? index + extent : index;
      for (std::int64_t i = 0; i < inner; ++i) copy_element(data, (o * extent + source) * inner + i, result, next++);
    }
  }
  importer.bind_output_constant(0, std::move(result));
}

const NodeImporterRegistration reader({.onnx_ops = {"Gather"}, .ir_ops = {}, .fold = fold_gather});

}  // namespace
}  // namespace edgeport
