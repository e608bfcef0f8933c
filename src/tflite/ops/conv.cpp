// IR Conv <-> CONV_2D, or DEPTHWISE_CONV_2D when each group has one input
// channel. TFLite convolves NHWC activations with OHWI filters (1HWO for
// depthwise).
#include "core/ops/conv.h"
#include "core/ops/integer.h"
#include "core/ops/quantization.h"
#include "tflite/builtin_options.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/filter_import.h"
#include "tflite/ops/fused_activation.h"
#include "tflite/ops/integer_bias.h"
#include "tflite/ops/qdq_import.h"
#include "tflite/ops/version_conditions.h"
#include "tflite/ops/window_padding.h"

namespace edgeport {
namespace {

namespace layout = tflite_layout;
using tflite::BuiltinOperator;
using tflite::BuiltinOptions;
using Perm = layout::Perm;

std::int32_t narrow(std::int64_t value) { return static_cast<std::int32_t>(value); }

// TFLite axis order of the IR's OIHW filter, and where its output channels go.
Perm filter_perm(bool depthwise) { return depthwise ? Perm{1, 2, 3, 0} : Perm{0, 2, 3, 1}; }
int filter_channel_dimension(bool depthwise) { return depthwise ? 3 : 0; }

TfliteOptions conv_options(bool depthwise, std::int64_t multiplier, const WindowPlan& plan, const Window2d& window,
                           tflite::ActivationFunctionType activation) {
  const tflite::Padding padding = plan.padding;
  const std::int32_t stride_h = narrow(window.strides[0]), stride_w = narrow(window.strides[1]);
  const std::int32_t dilation_h = narrow(window.dilations[0]), dilation_w = narrow(window.dilations[1]);
  TfliteOptionFacts facts;
  facts.dilated = dilation_h != 1 || dilation_w != 1;
  if (depthwise) {
    const std::int32_t depth_multiplier = narrow(multiplier);
    return builtin_options(
        BuiltinOptions::DepthwiseConv2DOptions,
        [=](auto& fbb) {
          return tflite::CreateDepthwiseConv2DOptions(fbb, padding, stride_w, stride_h, depth_multiplier, activation,
                                                      dilation_w, dilation_h);
        },
        facts);
  }
  return builtin_options(
      BuiltinOptions::Conv2DOptions,
      [=](auto& fbb) {
        return tflite::CreateConv2DOptions(fbb, padding, stride_w, stride_h, activation, dilation_w, dilation_h);
      },
      facts);
}

void lower_conv(LoweringContext& context, const Node& node) {
  const Graph& graph = context.graph;
  const Shape& input = graph.value(node.inputs.at(0)).shape;
  const Shape& weight = graph.value(node.inputs.at(1)).shape;
  const std::int64_t group = node.attrs.get_int("group", 1);
  // One input channel per group is TFLite's depthwise convolution; other
  // groupings stay CONV_2D, whose filter then holds input / group channels.
  const bool depthwise = group != 1 && group == input[1] && weight[1] == 1;
  const Window2d window = read_window(node, {weight[2], weight[3]});
  const FusedActivation fused = fuse_activation(context, node);
  const WindowPlan plan = plan_window(node, input, window, window.pads, graph.value(fused.output).shape, true);

  int x = context.tensor_for(node.inputs[0], layout::nhwc());
  if (!plan.explicit_pads.empty()) x = pad_nhwc(context, graph.value(node.inputs[0]).name, x, plan.explicit_pads, 0.0f);
  const LoweringContext::Weight filter =
      context.weight(node, node.inputs[1], filter_perm(depthwise), filter_channel_dimension(depthwise));
  const int bias = context.bias(node, node.inputs.size() > 2 ? node.inputs[2] : kNoValue, weight[0]);
  const int y = context.define(fused.output, layout::nhwc());
  context.builder.add_operator(
      depthwise ? BuiltinOperator::DEPTHWISE_CONV_2D : BuiltinOperator::CONV_2D, {x, filter.tensor, bias}, {y},
      conv_options(depthwise, depthwise ? weight[0] / input[1] : 0, plan, window, fused.function));
}

// IntegerConv (the int8 form of a QDQ Conv) -> int8 CONV_2D or
// DEPTHWISE_CONV_2D: int8 NHWC activations carrying their parameters, the
// int8 filter with one scale per output channel on its output-channel axis,
// an int32 bias.
void lower_integer_conv(LoweringContext& context, const Node& node) {
  const Graph& graph = context.graph;
  const Shape& input = graph.value(node.inputs.at(0)).shape;
  const Tensor& filter = graph.constant(node.inputs.at(1));
  const Shape& weight = filter.shape();
  const std::int64_t group = node.attrs.get_int("group", 1);
  const bool depthwise = group != 1 && group == input[1] && weight[1] == 1;
  const Window2d window = read_window(node, {weight[2], weight[3]});
  const FusedActivation fused = fuse_activation(context, node);
  const WindowPlan plan = plan_window(node, input, window, window.pads, graph.value(fused.output).shape, true);
  if (!plan.explicit_pads.empty()) {
    fail_lowering(node, "padding that is neither SAME nor VALID is not written for int8 convolutions yet");
  }
  const int x = context.tensor_for(node.inputs[0], layout::nhwc());
  const std::string& weight_name = graph.value(node.inputs[1]).name;
  const Perm perm = filter_perm(depthwise);
  const int filter_tensor =
      context.constant(weight_name, filter.permuted(std::vector<std::int64_t>(perm.begin(), perm.end())));
  const int bias = context.constant(weight_name + "/bias", integer_bias(graph, node, filter));
  const int y = context.define(fused.output, layout::nhwc());
  context.builder.add_operator(
      depthwise ? BuiltinOperator::DEPTHWISE_CONV_2D : BuiltinOperator::CONV_2D, {x, filter_tensor, bias}, {y},
      conv_options(depthwise, depthwise ? weight[0] / input[1] : 0, plan, window, fused.function));
}

// The strides, dilations, padding and activation both builtins' options hold.
struct ConvOptions {
  Window2d window;
  tflite::Padding padding = tflite::Padding::VALID;
  tflite::ActivationFunctionType activation = tflite::ActivationFunctionType::NONE;
};

template <typename Options>
ConvOptions read_conv_options(const Options& options, const Shape& filter) {
  ConvOptions result;
  result.window.kernel = {filter[1], filter[2]};
  result.window.strides = {options.stride_h(), options.stride_w()};
  result.window.dilations = {options.dilation_h_factor(), options.dilation_w_factor()};
  result.padding = options.padding();
  result.activation = options.fused_activation_function();
  return result;
}

// The IR group count the filter implies for an NHWC input `x`.
std::int64_t import_group(const OperatorSite& site, bool depthwise, const Shape& x, const Shape& filter) {
  const bool fits = depthwise ? filter[0] == 1 && x[3] != 0 && filter[3] % x[3] == 0
                              : filter[3] > 0 && x[3] % filter[3] == 0 && filter[0] % (x[3] / filter[3]) == 0;
  if (!fits) site.fail("filter " + shape_to_string(filter) + " does not fit input " + shape_to_string(x));
  return depthwise ? x[3] : x[3] / filter[3];
}

// An int8 convolution reads back as its QDQ form (qdq_import.h).
void import_int8_conv(OperatorSite& site, bool depthwise, Attributes attrs) {
  const int x_tensor = site.input(0);
  std::vector<int> inputs{dequantize_int8_operand(site, x_tensor, site.context.value_in(x_tensor, layout::nhwc()))};
  const int filter_tensor = site.input(1);
  if (site.model().dtype(filter_tensor) != DType::Int8) site.fail(site.model().tensor_label(filter_tensor) + " is not int8");
  const int filter = site.context.filter_value(filter_tensor, filter_perm(depthwise), filter_channel_dimension(depthwise));
  inputs.push_back(site.context.add_node(op::Dequantize, filter_tensor, "_dequantized", {filter}));
  append_dequantized_bias(site, inputs);
  const int sums = site.context.add_node(op::Conv, site.output(), "_float", inputs, std::move(attrs));
  hold_quantized_output(site, sums, layout::nhwc());
}

void import_conv(OperatorSite& site, bool depthwise) {
  site.expect_counts(2, 3);
  const int x_tensor = site.input(0);
  const int filter_tensor = site.input(1);
  site.expect_rank(x_tensor, 4);
  site.expect_rank(filter_tensor, 4);
  const bool int8 = site.model().dtype(x_tensor) == DType::Int8;
  if (!int8) site.expect_float(x_tensor);
  const Shape x = site.shape(x_tensor);
  const Shape filter = site.shape(filter_tensor);
  const ConvOptions options =
      depthwise
          ? read_conv_options(
                site.options(site.op().builtin_options_as_DepthwiseConv2DOptions(), "DepthwiseConv2DOptions"), filter)
          : read_conv_options(site.options(site.op().builtin_options_as_Conv2DOptions(), "Conv2DOptions"), filter);
  const std::int64_t group = import_group(site, depthwise, x, filter);
  Attributes attrs;
  attrs.set("strides", options.window.strides);
  attrs.set("dilations", options.window.dilations);
  attrs.set("pads", tflite_window_pads(site, options.padding, x, options.window));
  attrs.set("group", group);
  attrs.set("activation", activation_attribute(site, options.activation));
  if (int8) {
    import_int8_conv(site, depthwise, std::move(attrs));
    return;
  }

  const int x_value = site.context.value_in(x_tensor, layout::nhwc());
  const ImportedFilter weight =
      import_filter(site, filter_tensor, filter_perm(depthwise), filter_channel_dimension(depthwise));
  const std::vector<int> inputs = weighted_op_inputs(site, x_value, weight, attrs);
  const int y = site.context.add_node(op::Conv, site.output(), "", inputs, std::move(attrs));
  site.context.hold(site.output(), y, layout::nhwc());
}

int conv_version(const TfliteVersionQuery& query) {
  const TfliteTensorSpec* input = query.input(0);
  const TfliteTensorSpec* filter = query.input(1);
  // A grouped convolution: the filter holds fewer channels than the input.
  if (rank_of(input) == 4 && rank_of(filter) == 4 && input->shape[3] != filter->shape[3]) return 6;
  if (is_all_int8(query)) return 3;
  if (is_hybrid(query)) return has_scales_along(filter, 0, false) ? 5 : 2;
  return 1;
}

int depthwise_conv_version(const TfliteVersionQuery& query) {
  if (is_hybrid(query)) return has_scales_along(query.input(1), 3, false) ? 6 : 4;
  if (is_all_int8(query)) return 3;
  return query.facts.dilated ? 2 : 1;
}

const TfliteLoweringRegistration lowering({op::Conv}, lower_conv);
const TfliteLoweringRegistration integer_lowering({op::IntegerConv}, lower_integer_conv);
const TfliteImportRegistration conv_import({BuiltinOperator::CONV_2D}, {op::Conv},
                                           [](OperatorSite& site) { import_conv(site, false); });
const TfliteImportRegistration depthwise_import({BuiltinOperator::DEPTHWISE_CONV_2D}, {op::Conv},
                                                [](OperatorSite& site) { import_conv(site, true); });
const TfliteVersionRegistration conv_rule({BuiltinOperator::CONV_2D}, conv_version);
const TfliteVersionRegistration depthwise_rule({BuiltinOperator::DEPTHWISE_CONV_2D}, depthwise_conv_version);

}  // namespace
}  // namespace edgeport
