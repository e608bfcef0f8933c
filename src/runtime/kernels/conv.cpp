// Conv (see src/core/ops/conv.cpp): float32, or an int8 weight either
// dequantized (hybrid off) or run with dynamic-range hybrid arithmetic (hybrid=1).
#include <vector>

#include "core/ops/conv.h"
#include "core/ops/shape_rules.h"
#include "runtime/activation.h"
#include "runtime/channels_last.h"
#include "runtime/conv_chain.h"
#include "runtime/conv_float.h"
#include "runtime/conv_library.h"
#include "runtime/conv_hybrid.h"
#include "runtime/weights.h"

namespace edgeport {
namespace {

void conv_nchw(const KernelContext& context, const ConvGeometry& geometry, const float* input, float* output) {
  const ActivationRange activation = fused_activation(context.node);
  const float* bias = context.has_input(2) ? context.input(2).data<float>() : nullptr;
  if (runs_hybrid(context)) {
    conv_hybrid(geometry, input, hybrid_weight(context), bias, activation, output, context.options.threads);
  } else {
    const FloatWeight weight(context);
    conv_float(geometry, input, weight.data(), bias, activation, output, context.options.threads,
               context.options.depthwise_arithmetic);
  }
}

void run_conv(const KernelContext& context) {
  const ConvGeometry g = ConvGeometry::of(context);
  if (!g.channels_last) {
    conv_nchw(context, g, context.input(0).data<float>(), context.output().data<float>());
    return;
  }
  std::vector<float> input(static_cast<std::size_t>(g.batch * g.in_channels * g.in_h * g.in_w));
  std::vector<float> output(static_cast<std::size_t>(g.batch * g.out_channels * g.out_h * g.out_w));
  copy_nhwc_to_nchw(context.input(0).data<float>(), input.data(), g.batch, g.in_channels, g.in_h * g.in_w);
  conv_nchw(context, g, input.data(), output.data());
  copy_nchw_to_nhwc(output.data(), context.output().data<float>(), g.batch, g.out_channels, g.out_h * g.out_w);
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
  if (channels_last(node)) return {};
  return prepare_conv_chain(graph, {static_cast<int>(&node - graph.nodes.data())}, options);
}

const KernelRegistration registration(op::Conv, run_conv, prepare_conv, PreparedReads::FirstInputOnly);

}  // namespace
}  // namespace edgeport
