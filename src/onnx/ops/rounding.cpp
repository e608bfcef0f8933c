// ONNX Floor and Ceil of known float tensors: the output-size arithmetic
// torch.onnx.export writes for F.interpolate(..., recompute_scale_factor=True),
// as the published LaDeDa models call it. Folded at import; the IR has no
// rounding op.
#include <cmath>

#include "onnx/onnx_importer.h"

namespace edgeport {
namespace {

template <typename T>
void round_all(const Tensor& input, bool floor, Tensor& result) {
  const T* source = input.data<T>();
  T* target = result.data<T>();
  for (std::int64_t i = 0; i < input.numel(); ++i) target[i] = floor ? std::floor(source[i]) : std::ceil(source[i]);
}

void fold_rounding(OnnxImporter& importer) {
  const Tensor& input = *importer.constant_input(0);
  const bool floor = importer.node().op_type() == "Floor";
  Tensor result(input.dtype(), input.shape());
  if (input.dtype() == DType::Float32) {
    round_all<float>(input, floor, result);
  } else if (input.dtype() == DType::Float64) {
    round_all<double>(input, floor, result);
  } else {
    importer.fail("needs a float32 or float64 operand, not " + std::string(dtype_name(input.dtype())));
  }
  importer.bind_output_constant(0, std::move(result));
}

const NodeImporterRegistration reader({.onnx_ops = {"Floor", "Ceil"}, .ir_ops = {}, .fold = fold_rounding});

}  // namespace
}  // namespace edgeport
