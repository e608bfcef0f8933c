// Conv (see src/core/ops/conv.cpp): float32, or an int8 weight either
// dequantized (hybrid off) or run with dynamic-range hybrid arithmetic (hybrid=1).
#include "core/ops/conv.h"
#include "runtime/activation.h"
#include "runtime/conv_float.h"
#include "runtime/conv_library.h"
#include "runtime/conv_hybrid.h"
#include "runtime/weights.h"

namespace edgeport {
namespace {

void run_conv(const KernelContext& context) {
  const ConvGeometry geometry = ConvGeometry::of(context);
  const ActivationRange activation = fused_activation(context.node);
  const float* input = context.input(0).data<float>();
  const float* bias = context.has_input(2) ? context.input(2).data<float>() : nullptr;
  float* output = context.output().data<float>();
  if (runs_hybrid(context)) {
    conv_hybrid(geometry, input, hybrid_weight(context), bias, activation, output, context.options.threads);
  } else {
    const FloatWeight weight(context);
    conv_float(geometry, input, weight.data(), bias, activation, output, context.options.threads,
               context.options.depthwise_arithmetic);
  }
}

// Constant float (or dequantized int8) weights and bias feed the library's
// prepared convolution; anything else keeps run_conv.
Kernel prepare_conv_for_test(const Graph& graph, const Node& node, const RunOptions& options) {
  const Value& input = graph.value(node.inputs.at(0));
  const Value& weight = graph.value(node.inputs.at(1));
  if (input.dtype != DType::Float32 || !weight.constant) return {};
  const bool has_bias = node.inputs.size() > 2 && node.inputs[2] != kNoValue;
  const Value* bias = has_bias ? &graph.value(node.inputs[2]) : nullptr;
  if (bias && !bias->constant) return {};
  // An int8 weight without parameters is left to run_conv, whose error names the node.
  const bool float_weight_known = weight.constant->dtype() == DType::Float32 || weight.constant->quant;
  if (!float_weight_known) return {};
  const Tensor float_weight =
      weight.constant->dtype() == DType::Float32 ? *weight.constant : weight.constant->dequantized();
  return prepare_library_conv(ConvGeometry::of(graph, node), float_weight, bias ? &*bias->constant : nullptr,
                              fused_activation(node), options);
}

const KernelRegistration registration(op::Conv, run_conv, prepare_conv_for_test);

}  // namespace
}  // namespace edgeport
