// IR MaxPool / AvgPool <-> MAX_POOL_2D / AVERAGE_POOL_2D over NHWC; a MaxPool
// on int8 codes is an int8 MAX_POOL_2D.
// TFLite's SAME pools skip the padding; other padding becomes a PAD first.
#include <cfloat>

#include "core/ops/pool.h"
#include "core/ops/unary.h"
#include "tflite/builtin_options.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/fused_activation.h"
#include "tflite/ops/qdq_import.h"
#include "tflite/ops/version_conditions.h"
#include "tflite/ops/window_padding.h"

namespace edgeport {
namespace {

namespace layout = tflite_layout;
using tflite::BuiltinOperator;

std::int32_t narrow(std::int64_t value) { return static_cast<std::int32_t>(value); }

// The pads after the input grow by the extra window ceil_mode adds.
std::vector<std::int64_t> pads_with_ceil_mode(const Node& node, const Shape& input, const Window2d& window,
                                              const Shape& output, bool max_pool) {
  std::vector<std::int64_t> pads = window.pads;
  if (node.attrs.get_int("ceil_mode", 0) == 0) return pads;
  for (std::size_t axis = 0; axis < 2; ++axis) {
    const std::int64_t needed =
        (output[2 + axis] - 1) * window.strides[axis] + window.kernel[axis] - input[2 + axis] - pads[axis];
    if (needed > pads[2 + axis]) {
      if (!max_pool)
        fail_lowering(node, "ceil_mode adds a partial window, which TFLite's AVERAGE_POOL_2D cannot divide");
      pads[2 + axis] = needed;
    }
  }
  return pads;
}

void lower_pool(LoweringContext& context, const Node& node) {
  const Graph& graph = context.graph;
  const bool max_pool = node.op == op::MaxPool;
  const Shape& input = graph.value(node.inputs.at(0)).shape;
  const std::vector<std::int64_t> kernel = node.attrs.get_ints("kernel");
  Window2d window = read_window(node, kernel);
  if (!node.attrs.has("strides")) window.strides = kernel;
  if (window.dilations != std::vector<std::int64_t>{1, 1}) fail_lowering(node, "TFLite pools have no dilation");
  const FusedActivation fused = fuse_activation(context, node);
  const Shape& output_shape = graph.value(fused.output).shape;
  const std::vector<std::int64_t> pads = pads_with_ceil_mode(node, input, window, output_shape, max_pool);
  const bool count_padding = !max_pool && node.attrs.get_int("count_include_pad", 1) != 0;
  // TFLite's SAME pools skip the padding: right for max pools and for average
  // pools that do not count it.
  const WindowPlan plan = plan_window(node, input, window, pads, output_shape, !count_padding);
  if (!max_pool && !count_padding && !plan.explicit_pads.empty()) {
    fail_lowering(node, "padding that is not counted and is not TFLite's SAME padding");
  }
  int x = context.tensor_for(node.inputs[0], layout::nhwc());
  if (!plan.explicit_pads.empty()) {
    // int8 codes reach a max pool only with zero point -128 when padded
    // (lower_qdq_to_integer): a PAD with the zero point pads the lowest code.
    const bool codes = graph.value(node.inputs[0]).dtype == DType::Int8;
    x = pad_nhwc(context, graph.value(node.inputs[0]).name, x, plan.explicit_pads,
                 max_pool && !codes ? -FLT_MAX : 0.0f);
  }
  const int y = context.define(fused.output, layout::nhwc());
  const tflite::Padding padding = plan.padding;
  const std::int32_t stride_h = narrow(window.strides[0]), stride_w = narrow(window.strides[1]);
  const std::int32_t kernel_h = narrow(kernel[0]), kernel_w = narrow(kernel[1]);
  const tflite::ActivationFunctionType activation = fused.function;
  context.builder.add_operator(max_pool ? BuiltinOperator::MAX_POOL_2D : BuiltinOperator::AVERAGE_POOL_2D, {x}, {y},
                               builtin_options(tflite::BuiltinOptions::Pool2DOptions, [=](auto& fbb) {
                                 return tflite::CreatePool2DOptions(fbb, padding, stride_w, stride_h, kernel_w,
                                                                    kernel_h, activation);
                               }));
}

void import_pool(OperatorSite& site, bool max_pool) {
  site.expect_counts(1, 1);
  const int x_tensor = site.input(0);
  site.expect_rank(x_tensor, 4);
  const bool codes = max_pool && site.model().dtype(x_tensor) == DType::Int8;
  if (!codes) site.expect_float(x_tensor);
  const auto& options = site.options(site.op().builtin_options_as_Pool2DOptions(), "Pool2DOptions");
  Window2d window;
  window.kernel = {options.filter_height(), options.filter_width()};
  window.strides = {options.stride_h(), options.stride_w()};
  window.dilations = {1, 1};
  Attributes attrs;
  attrs.set("kernel", window.kernel);
  attrs.set("strides", window.strides);
  attrs.set("pads", tflite_window_pads(site, options.padding(), site.shape(x_tensor), window));
  // TFLite's SAME average pool divides by the number of real inputs.
  if (!max_pool) attrs.set("count_include_pad", std::int64_t{0});
  int x = site.context.value_in(x_tensor, layout::nhwc());
  const tflite::ActivationFunctionType activation = options.fused_activation_function();
  // An int8 MAX_POOL_2D reads back as its QDQ form (qdq_import.h).
  if (codes) {
    if (activation != tflite::ActivationFunctionType::NONE) site.fail("an int8 MAX_POOL_2D with a fused activation");
    if (site.model().dtype(site.output()) != DType::Int8) site.fail("an int8 MAX_POOL_2D must write int8");
    x = dequantize_int8_operand(site, x_tensor, x);
    const int pooled = site.context.add_node(op::MaxPool, site.output(), "_float", {x}, std::move(attrs));
    hold_quantized_output(site, pooled, layout::nhwc());
    return;
  }
  const int pooled = site.context.add_node(max_pool ? op::MaxPool : op::AvgPool, site.output(),
                                           node_suffix_before(site, activation), {x}, std::move(attrs));
  site.context.hold(site.output(), apply_activation(site, pooled, activation), layout::nhwc());
}

const TfliteLoweringRegistration lowering({op::MaxPool, op::AvgPool}, lower_pool);
// A fused activation becomes a Relu / Relu6 after the pool.
const TfliteImportRegistration max_import({BuiltinOperator::MAX_POOL_2D}, {op::MaxPool, op::Relu, op::Relu6},
                                          [](OperatorSite& site) { import_pool(site, true); });
const TfliteImportRegistration average_import({BuiltinOperator::AVERAGE_POOL_2D}, {op::AvgPool, op::Relu, op::Relu6},
                                              [](OperatorSite& site) { import_pool(site, false); });
const TfliteVersionRegistration rule({BuiltinOperator::MAX_POOL_2D, BuiltinOperator::AVERAGE_POOL_2D}, int8_version);

}  // namespace
}  // namespace edgeport
