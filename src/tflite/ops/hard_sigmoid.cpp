// IR HardSigmoid -> MUL, ADD with a fused RELU6, MUL: TFLite has no hard
// sigmoid, and max(0, min(1, alpha * x + beta)) equals
// relu6(6 alpha * x + 6 beta) / 6; in float32 the two differ by roundings
// alone (at most 1.2e-7, one ulp of 1, over a dense sweep of x and several
// alpha and beta). PyTorch's gate (alpha 1/6, beta 1/2) needs no first MUL:
// it is relu6(x + 3) / 6, PyTorch's own definition. Element-wise, so it keeps
// the layout its input has.
#include "core/ops/hard_sigmoid.h"
#include "tflite/builtin_options.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"

namespace edgeport {
namespace {

namespace layout = tflite_layout;
using tflite::ActivationFunctionType;
using tflite::BuiltinOperator;
using tflite::BuiltinOptions;
using Perm = layout::Perm;

// One float32 value, broadcastable over an input of `rank` axes.
Tensor scalar_constant(float value, std::size_t rank) {
  Tensor tensor(DType::Float32, Shape(rank, 1));
  tensor.data<float>()[0] = value;
  return tensor;
}

TfliteOptions mul_options() {
  return builtin_options(BuiltinOptions::MulOptions, [](auto& fbb) { return tflite::CreateMulOptions(fbb); });
}

void lower_hard_sigmoid(LoweringContext& context, const Node& node) {
  const double alpha = node.attrs.get_float("alpha", hard_sigmoid::kDefaultAlpha);
  const double beta = node.attrs.get_float("beta", hard_sigmoid::kDefaultBeta);
  const Shape& shape = context.graph.value(node.inputs.at(0)).shape;
  const Perm perm = context.natural_perm(node.inputs[0]);
  const Shape placed = layout::permute_shape(shape, perm);
  const auto constant = [&](const std::string& suffix, double value) {
    return context.constant(node.name + "/" + suffix, scalar_constant(static_cast<float>(value), shape.size()));
  };
  int x = context.tensor_for(node.inputs[0], perm);
  const auto slope = static_cast<float>(6.0 * alpha);
  if (slope != 1.0f) {
    const int scaled = context.scratch(node.name + "/scaled", tflite::TensorType::FLOAT32, placed);
    context.builder.add_operator(BuiltinOperator::MUL, {x, constant("slope", slope)}, {scaled}, mul_options());
    x = scaled;
  }
  const int clamped = context.scratch(node.name + "/relu6", tflite::TensorType::FLOAT32, placed);
  context.builder.add_operator(BuiltinOperator::ADD, {x, constant("offset", 6.0 * beta)}, {clamped},
                               builtin_options(BuiltinOptions::AddOptions, [](auto& fbb) {
                                 return tflite::CreateAddOptions(fbb, ActivationFunctionType::RELU6);
                               }));
  const int y = context.define(node.outputs.at(0), perm);
  context.builder.add_operator(BuiltinOperator::MUL, {clamped, constant("sixth", 1.0 / 6.0)}, {y}, mul_options());
}

const TfliteLoweringRegistration lowering({op::HardSigmoid}, lower_hard_sigmoid);
const TfliteImportRefusal import_refusal(
    {op::HardSigmoid}, "TFLite has no hard sigmoid; the writer emits MUL, ADD (RELU6) and MUL, read back as those");

}  // namespace
}  // namespace edgeport
