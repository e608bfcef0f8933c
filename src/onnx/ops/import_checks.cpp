#include "onnx/ops/import_checks.h"

#include "onnx/onnx_importer.h"

namespace edgeport {

void require_4d_input(OnnxImporter& importer) {
  if (importer.input_shape(0).size() != 4) {
    importer.fail("only 4-d (NCHW) inputs are supported, got " + shape_to_string(importer.input_shape(0)));
  }
}

void require_float_input(OnnxImporter& importer, std::size_t index) {
  if (importer.input_dtype(index) != DType::Float32) {
    importer.fail("input '" + importer.node().input(static_cast<int>(index)) + "' is " +
                  std::string(dtype_name(importer.input_dtype(index))) + "; only float32 is supported here");
  }
}

float scalar_operand(OnnxImporter& importer, std::size_t index, float fallback, const std::string& what) {
  if (!importer.has_input(index)) return fallback;
  const Tensor& value = importer.require_constant(index, what);
  if (value.numel() != 1) importer.fail(what + " must be a scalar");
  return value.to_float32().data<float>()[0];
}

}  // namespace edgeport
