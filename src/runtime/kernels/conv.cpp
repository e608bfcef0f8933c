// Conv (see src/core/ops/conv.cpp): float32, or an int8 weight either
// dequantized (hybrid off) or run with dynamic-range hybrid arithmetic (hybrid=1).
#include "core/ops/conv.h"
#include "runtime/activation.h"
#include "runtime/conv_chain.h"
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

// Convolutions outside the depth-first chains (runtime/conv_chain.h): the
// library's GEMM-class kernel where it is the faster choice, the row kernels
// otherwise.
Kernel prepare_conv(const Graph& graph, const Node& node, const RunOptions& options) {
  if (!conv_rows_can_run(graph, node)) return {};
  const Tensor float_weight = conv_float_weight(graph, node);
  const bool has_bias = node.inputs.size() > 2 && node.inputs[2] != kNoValue;
  Kernel library = prepare_library_conv(ConvGeometry::of(graph, node), float_weight,
                                        has_bias ? &graph.constant(node.inputs[2]) : nullptr, fused_activation(node),
                                        options);
  if (library) return library;
  return prepare_conv_chain(graph, {static_cast<int>(&node - graph.nodes.data())}, options);
}

const KernelRegistration registration(op::Conv, run_conv, prepare_conv);

}  // namespace
}  // namespace edgeport
