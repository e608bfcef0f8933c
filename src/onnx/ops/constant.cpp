// ONNX Constant and ConstantOfShape: known tensors, never IR nodes.
#include "onnx/import_shapes.h"
#include "onnx/onnx_importer.h"
#include "onnx/onnx_tensor.h"
#include "onnx/ops/constant_folding.h"

namespace edgeport {
namespace {

void import_constant(OnnxImporter& importer) {
  if (const onnx::TensorProto* value = importer.attr_tensor("value")) {
    return importer.bind_output_constant(0, tensor_from_onnx(*value, importer.origin_of(importer.node().output(0))));
  }
  if (importer.has_attribute("value_float")) {
    return importer.bind_output_constant(0, Tensor::from_vector<float>({}, {importer.attr_float("value_float", 0)}));
  }
  if (importer.has_attribute("value_floats")) {
    const std::vector<float> values = importer.attr_floats("value_floats", {});
    return importer.bind_output_constant(
        0, Tensor::from_vector<float>({static_cast<std::int64_t>(values.size())}, values));
  }
  if (importer.has_attribute("value_int")) {
    return importer.bind_output_constant(0, Tensor::from_vector<std::int64_t>({}, {importer.attr_int("value_int", 0)}));
  }
  if (importer.has_attribute("value_ints")) {
    const std::vector<std::int64_t> values = importer.attr_ints("value_ints", {});
    return importer.bind_output_constant(
        0, Tensor::from_vector<std::int64_t>({static_cast<std::int64_t>(values.size())}, values));
  }
  importer.fail("only tensor, float(s) and int(s) values are supported");
}

void fold_constant_of_shape(OnnxImporter& importer) {
  const std::vector<std::int64_t> shape = int64_values(importer, *importer.constant_input(0), "shape");
  Tensor fill = Tensor::from_vector<float>({1}, {0.0f});
  if (const onnx::TensorProto* value = importer.attr_tensor("value")) {
    fill = tensor_from_onnx(*value, importer.origin_of(importer.node().output(0)));
    if (fill.numel() != 1) importer.fail("value must hold one element");
  }
  check_fold_size(importer, shape);
  Tensor result(fill.dtype(), shape);
  for (std::int64_t i = 0; i < result.numel(); ++i) copy_element(fill, 0, result, i);
  importer.bind_output_constant(0, std::move(result));
}

const NodeImporterRegistration constant_reader({.onnx_ops = {"Constant"}, .ir_ops = {}, .import = import_constant});
const NodeImporterRegistration constant_of_shape_reader({.onnx_ops = {"ConstantOfShape"},
                                                         .ir_ops = {},
                                                         .fold = fold_constant_of_shape});

}  // namespace
}  // namespace edgeport
