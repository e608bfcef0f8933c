// One lowering per IR op: which TFLite operator(s) it becomes and in which
// layout its inputs are read. Spatial ops work in NHWC; element-wise ops keep
// whatever layout their input already has.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <functional>
#include <map>

#include "core/error.h"
#include "core/ops/shape_rules.h"
#include "core/ops/slice.h"
#include "tflite/lowering.h"
#include "tflite/lowering_context.h"
#include "tflite/padding.h"

namespace edgeport {
namespace {

namespace layout = tflite_layout;
using tflite::ActivationFunctionType;
using tflite::BuiltinOperator;
using tflite::BuiltinOptions;
using Perm = layout::Perm;
using Fbb = flatbuffers::FlatBufferBuilder;

[[noreturn]] void unsupported(const Node& node, const std::string& problem) {
  throw Error("TFLite writer: node '" + node.name + "' (" + node.op + "): " + problem);
}

template <typename Build>
TfliteOptions options_of(BuiltinOptions type, Build build, TfliteOptionFacts facts = {}) {
  return {type, [build](Fbb& fbb) { return build(fbb).Union(); }, facts};
}

std::int32_t narrow(std::int64_t value) { return static_cast<std::int32_t>(value); }

// The op's own activation attribute, or a Relu / Relu6 that is the only
// reader of its output, folded into TFLite's fused activation. `output` is
// the IR value the TFLite op then produces.
struct Fused {
  ActivationFunctionType activation = ActivationFunctionType::NONE;
  int output = kNoValue;
};

Fused fuse_activation(LoweringContext& context, const Node& node) {
  Fused fused;
  fused.output = node.outputs.at(0);
  const std::string attribute = node.attrs.get_string("activation", "none");
  if (attribute == "relu") {
    fused.activation = ActivationFunctionType::RELU;
  } else if (attribute == "relu6") {
    fused.activation = ActivationFunctionType::RELU6;
  } else if (attribute != "none") {
    unsupported(node, "activation '" + attribute + "' cannot be fused in TFLite");
  }
  if (fused.activation != ActivationFunctionType::NONE || context.is_graph_output(fused.output)) return fused;
  const std::vector<int> readers = context.graph.consumers(fused.output);
  if (readers.size() != 1) return fused;
  const Node& next = context.graph.nodes[static_cast<std::size_t>(readers[0])];
  if (next.op != "Relu" && next.op != "Relu6") return fused;
  fused.activation = next.op == "Relu" ? ActivationFunctionType::RELU : ActivationFunctionType::RELU6;
  fused.output = next.outputs.at(0);
  context.skip_node(readers[0]);
  return fused;
}

// How a conv or pool window is padded in TFLite: SAME when PyTorch's padding
// happens to be TFLite's, else VALID after an explicit pad.
struct WindowPlan {
  tflite::Padding padding = tflite::Padding::VALID;
  std::vector<std::int64_t> explicit_pads;  // top, left, bottom, right; empty when none
};

WindowPlan plan_window(const Node& node, const Shape& input, const std::vector<std::int64_t>& kernel,
                       const Window2d& window, const std::vector<std::int64_t>& pads, const Shape& output,
                       bool allow_same) {
  WindowPlan plan;
  const bool unpadded = std::all_of(pads.begin(), pads.end(), [](std::int64_t pad) { return pad == 0; });
  if (!unpadded && allow_same) {
    const SamePadding same_h = tflite_same_padding(input[2], kernel[0], window.strides[0], window.dilations[0]);
    const SamePadding same_w = tflite_same_padding(input[3], kernel[1], window.strides[1], window.dilations[1]);
    if (pads == std::vector<std::int64_t>{same_h.before, same_w.before, same_h.after, same_w.after} &&
        same_h.output == output[2] && same_w.output == output[3]) {
      plan.padding = tflite::Padding::SAME;
      return plan;
    }
  }
  if (!unpadded) plan.explicit_pads = pads;
  const std::int64_t out_h =
      tflite_valid_output(input[2] + pads[0] + pads[2], kernel[0], window.strides[0], window.dilations[0]);
  const std::int64_t out_w =
      tflite_valid_output(input[3] + pads[1] + pads[3], kernel[1], window.strides[1], window.dilations[1]);
  if (out_h != output[2] || out_w != output[3]) {
    unsupported(node, "its output extent " + shape_to_string(output) + " has no TFLite padding equivalent");
  }
  return plan;
}

// Pads an NHWC tensor's H and W: PAD for zeros, PADV2 for another value.
int pad_nhwc(LoweringContext& context, const std::string& name, int input, const std::vector<std::int64_t>& pads,
             float value) {
  const TfliteTensorSpec& source = context.builder.tensor(input);
  Shape padded(source.shape.begin(), source.shape.end());
  padded[1] += pads[0] + pads[2];
  padded[2] += pads[1] + pads[3];
  const int output = context.scratch(name + "_padded", source.type, padded);
  const int paddings =
      context.int32_constant(name + "/paddings", {0, 0, pads[0], pads[2], pads[1], pads[3], 0, 0}, {4, 2});
  if (value == 0.0f) {
    context.builder.add_operator(BuiltinOperator::PAD, {input, paddings}, {output},
                                 options_of(BuiltinOptions::PadOptions, [](Fbb& fbb) { return tflite::CreatePadOptions(fbb); }));
  } else {
    const int fill = context.constant(name + "/pad_value", Tensor::from_vector<float>({}, {value}));
    context.builder.add_operator(
        BuiltinOperator::PADV2, {input, paddings, fill}, {output},
        options_of(BuiltinOptions::PadV2Options, [](Fbb& fbb) { return tflite::CreatePadV2Options(fbb); }));
  }
  return output;
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
  const Fused fused = fuse_activation(context, node);
  const Shape& output_shape = graph.value(fused.output).shape;
  const WindowPlan plan = plan_window(node, input, window.kernel, window, window.pads, output_shape, true);

  int x = context.tensor_for(node.inputs[0], layout::nhwc());
  if (!plan.explicit_pads.empty()) x = pad_nhwc(context, graph.value(node.inputs[0]).name, x, plan.explicit_pads, 0.0f);
  const LoweringContext::Weight filter = context.weight(
      node, node.inputs[1], depthwise ? Perm{1, 2, 3, 0} : Perm{0, 2, 3, 1}, depthwise ? 3 : 0);
  const int bias = context.bias(node, node.inputs.size() > 2 ? node.inputs[2] : kNoValue, weight[0]);
  const int y = context.define(fused.output, layout::nhwc());

  const tflite::Padding padding = plan.padding;
  const std::int32_t stride_h = narrow(window.strides[0]), stride_w = narrow(window.strides[1]);
  const std::int32_t dilation_h = narrow(window.dilations[0]), dilation_w = narrow(window.dilations[1]);
  const ActivationFunctionType activation = fused.activation;
  TfliteOptionFacts facts;
  facts.dilated = dilation_h != 1 || dilation_w != 1;
  if (depthwise) {
    const std::int32_t multiplier = narrow(weight[0] / input[1]);
    context.builder.add_operator(
        BuiltinOperator::DEPTHWISE_CONV_2D, {x, filter.tensor, bias}, {y},
        options_of(BuiltinOptions::DepthwiseConv2DOptions,
                   [=](Fbb& fbb) {
                     return tflite::CreateDepthwiseConv2DOptions(fbb, padding, stride_w, stride_h, multiplier,
                                                                 activation, dilation_w, dilation_h);
                   },
                   facts));
  } else {
    context.builder.add_operator(
        BuiltinOperator::CONV_2D, {x, filter.tensor, bias}, {y},
        options_of(BuiltinOptions::Conv2DOptions,
                   [=](Fbb& fbb) {
                     return tflite::CreateConv2DOptions(fbb, padding, stride_w, stride_h, activation, dilation_w,
                                                        dilation_h);
                   },
                   facts));
  }
}

void lower_linear(LoweringContext& context, const Node& node) {
  const Graph& graph = context.graph;
  const std::size_t rank = graph.value(node.inputs.at(0)).shape.size();
  const Shape& weight = graph.value(node.inputs.at(1)).shape;
  const Fused fused = fuse_activation(context, node);
  const int x = context.tensor_for(node.inputs[0], layout::identity(rank));
  const LoweringContext::Weight filter = context.weight(node, node.inputs[1], {0, 1}, 0);
  const int bias = context.bias(node, node.inputs.size() > 2 ? node.inputs[2] : kNoValue, weight[0]);
  const int y = context.define(fused.output, layout::identity(rank));
  // FULLY_CONNECTED flattens its input to 2-d unless told to keep the axes.
  const bool keep_num_dims = rank != 2;
  const bool asymmetric = filter.hybrid;
  const ActivationFunctionType activation = fused.activation;
  TfliteOptionFacts facts;
  facts.keep_num_dims = keep_num_dims;
  facts.asymmetric_quantize_inputs = asymmetric;
  context.builder.add_operator(
      BuiltinOperator::FULLY_CONNECTED, {x, filter.tensor, bias}, {y},
      options_of(BuiltinOptions::FullyConnectedOptions,
                 [=](Fbb& fbb) {
                   return tflite::CreateFullyConnectedOptions(
                       fbb, activation, tflite::FullyConnectedOptionsWeightsFormat::DEFAULT, keep_num_dims, asymmetric);
                 },
                 facts));
}

void lower_binary(LoweringContext& context, const Node& node) {
  const Graph& graph = context.graph;
  const Fused fused = fuse_activation(context, node);
  const std::size_t rank = graph.value(fused.output).shape.size();
  const Perm perm = context.shared_perm(node.inputs, rank);
  const int a = context.broadcast_operand(node.inputs.at(0), rank, perm);
  const int b = context.broadcast_operand(node.inputs.at(1), rank, perm);
  const int y = context.define(fused.output, perm);
  const ActivationFunctionType activation = fused.activation;
  if (node.op == "Add") {
    context.builder.add_operator(BuiltinOperator::ADD, {a, b}, {y},
                                 options_of(BuiltinOptions::AddOptions,
                                            [=](Fbb& fbb) { return tflite::CreateAddOptions(fbb, activation); }));
  } else if (node.op == "Sub") {
    context.builder.add_operator(BuiltinOperator::SUB, {a, b}, {y},
                                 options_of(BuiltinOptions::SubOptions,
                                            [=](Fbb& fbb) { return tflite::CreateSubOptions(fbb, activation); }));
  } else {
    context.builder.add_operator(BuiltinOperator::MUL, {a, b}, {y},
                                 options_of(BuiltinOptions::MulOptions,
                                            [=](Fbb& fbb) { return tflite::CreateMulOptions(fbb, activation); }));
  }
}

void lower_unary(LoweringContext& context, const Node& node) {
  static const std::map<std::string, BuiltinOperator> codes = {{"Relu", BuiltinOperator::RELU},
                                                               {"Relu6", BuiltinOperator::RELU6},
                                                               {"Sigmoid", BuiltinOperator::LOGISTIC},
                                                               {"HardSwish", BuiltinOperator::HARD_SWISH}};
  const Perm perm = context.natural_perm(node.inputs.at(0));
  const int x = context.tensor_for(node.inputs[0], perm);
  const int y = context.define(node.outputs.at(0), perm);
  context.builder.add_operator(codes.at(node.op), {x}, {y});
}

void lower_pool(LoweringContext& context, const Node& node) {
  const Graph& graph = context.graph;
  const bool max_pool = node.op == "MaxPool";
  const Shape& input = graph.value(node.inputs.at(0)).shape;
  const std::vector<std::int64_t> kernel = node.attrs.get_ints("kernel");
  Window2d window = read_window(node, kernel);
  if (!node.attrs.has("strides")) window.strides = kernel;
  if (window.dilations != std::vector<std::int64_t>{1, 1}) unsupported(node, "TFLite pools have no dilation");
  const Fused fused = fuse_activation(context, node);
  const Shape& output_shape = graph.value(fused.output).shape;

  std::vector<std::int64_t> pads = window.pads;
  if (node.attrs.get_int("ceil_mode", 0) != 0) {
    // The extra window ceil_mode adds is padding after the input.
    for (int axis = 0; axis < 2; ++axis) {
      const std::int64_t needed = (output_shape[2 + axis] - 1) * window.strides[axis] + kernel[axis] -
                                  input[2 + axis] - pads[axis];
      if (needed > pads[2 + axis]) {
        if (!max_pool) unsupported(node, "ceil_mode adds a partial window, which TFLite's AVERAGE_POOL_2D cannot divide");
        pads[2 + axis] = needed;
      }
    }
  }
  const bool count_padding = !max_pool && node.attrs.get_int("count_include_pad", 1) != 0;
  // TFLite's SAME pools skip the padding: right for max pools and for average
  // pools that do not count it.
  const WindowPlan plan = plan_window(node, input, kernel, window, pads, output_shape, !count_padding);
  if (!max_pool && !count_padding && !plan.explicit_pads.empty()) {
    unsupported(node, "padding that is not counted and is not TFLite's SAME padding");
  }
  int x = context.tensor_for(node.inputs[0], layout::nhwc());
  if (!plan.explicit_pads.empty()) {
    x = pad_nhwc(context, graph.value(node.inputs[0]).name, x, plan.explicit_pads, max_pool ? -FLT_MAX : 0.0f);
  }
  const int y = context.define(fused.output, layout::nhwc());
  const tflite::Padding padding = plan.padding;
  const std::int32_t stride_h = narrow(window.strides[0]), stride_w = narrow(window.strides[1]);
  const std::int32_t kernel_h = narrow(kernel[0]), kernel_w = narrow(kernel[1]);
  const ActivationFunctionType activation = fused.activation;
  context.builder.add_operator(
      max_pool ? BuiltinOperator::MAX_POOL_2D : BuiltinOperator::AVERAGE_POOL_2D, {x}, {y},
      options_of(BuiltinOptions::Pool2DOptions, [=](Fbb& fbb) {
        return tflite::CreatePool2DOptions(fbb, padding, stride_w, stride_h, kernel_w, kernel_h, activation);
      }));
}

void emit_mean(LoweringContext& context, const Node& node, std::vector<std::int64_t> axes, bool keepdims) {
  const int input = node.inputs.at(0);
  const auto rank = static_cast<std::int64_t>(context.graph.value(input).shape.size());
  std::vector<int> reduced;
  for (std::int64_t axis : axes) {
    const std::int64_t normalized = axis < 0 ? axis + rank : axis;
    if (std::find(reduced.begin(), reduced.end(), normalized) == reduced.end()) reduced.push_back(static_cast<int>(normalized));
  }
  const Perm perm = context.natural_perm(input);
  const int x = context.tensor_for(input, perm);
  std::vector<std::int64_t> tflite_axes;
  for (int axis : reduced) tflite_axes.push_back(layout::position_of(perm, axis));
  std::sort(tflite_axes.begin(), tflite_axes.end());
  const int axes_tensor = context.int32_constant(node.name + "/axes", tflite_axes);
  const int y = context.define(node.outputs.at(0), keepdims ? perm : layout::surviving_perm(perm, reduced));
  context.builder.add_operator(
      BuiltinOperator::MEAN, {x, axes_tensor}, {y},
      options_of(BuiltinOptions::ReducerOptions, [=](Fbb& fbb) { return tflite::CreateReducerOptions(fbb, keepdims); }));
}

void lower_mean(LoweringContext& context, const Node& node) {
  emit_mean(context, node, node.attrs.get_ints("axes"), node.attrs.get_int("keepdims", 1) != 0);
}

void lower_global_average_pool(LoweringContext& context, const Node& node) { emit_mean(context, node, {2, 3}, true); }

void lower_reshape(LoweringContext& context, const Node& node) {
  const auto [x, x_perm] = context.order_keeping_tensor(node.inputs.at(0));
  const Shape& output_shape = context.graph.value(node.outputs.at(0)).shape;
  // An NHWC result costs nothing when it has the same element order, and
  // spares the spatial ops after it a conversion.
  const Perm perm = output_shape.size() == 4 && layout::keeps_element_order(output_shape, layout::nhwc())
                        ? layout::nhwc()
                        : layout::identity(output_shape.size());
  context.emit_reshape(x, context.define(node.outputs[0], perm), node.name);
}

// An IR Transpose only relabels which TFLite axis holds which IR axis.
void lower_transpose(LoweringContext& context, const Node& node) {
  const int input = node.inputs.at(0);
  const std::vector<std::int64_t> attribute = node.attrs.get_ints("perm");
  const Perm transpose(attribute.begin(), attribute.end());
  const Perm held = context.natural_perm(input);
  const int tensor = context.tensor_for(input, held);
  context.alias(node.outputs.at(0), tensor, layout::compose(layout::inverse(transpose), held));
}

void lower_concat(LoweringContext& context, const Node& node) {
  const Graph& graph = context.graph;
  const Fused fused = fuse_activation(context, node);
  const auto rank = static_cast<std::int64_t>(graph.value(fused.output).shape.size());
  std::int64_t axis = node.attrs.get_int("axis");
  if (axis < 0) axis += rank;
  const Perm perm = context.shared_perm(node.inputs, static_cast<std::size_t>(rank));
  std::vector<int> inputs;
  for (int operand : node.inputs) inputs.push_back(context.tensor_for(operand, perm));
  const int y = context.define(fused.output, perm);
  const std::int32_t tflite_axis = layout::position_of(perm, static_cast<int>(axis));
  const ActivationFunctionType activation = fused.activation;
  context.builder.add_operator(BuiltinOperator::CONCATENATION, inputs, {y},
                               options_of(BuiltinOptions::ConcatenationOptions, [=](Fbb& fbb) {
                                 return tflite::CreateConcatenationOptions(fbb, tflite_axis, activation);
                               }));
}

void lower_pad(LoweringContext& context, const Node& node) {
  const int input = node.inputs.at(0);
  const std::size_t rank = context.graph.value(input).shape.size();
  const std::vector<std::int64_t> pads = node.attrs.get_ints("pads");
  const auto value = static_cast<float>(node.attrs.get_float("value", 0.0));
  const Perm perm = context.natural_perm(input);
  const int x = context.tensor_for(input, perm);
  std::vector<std::int64_t> paddings;
  for (int axis : perm) {
    paddings.push_back(pads.at(static_cast<std::size_t>(axis)));
    paddings.push_back(pads.at(static_cast<std::size_t>(axis) + rank));
  }
  const int paddings_tensor =
      context.int32_constant(node.name + "/paddings", paddings, {static_cast<std::int64_t>(rank), 2});
  const int y = context.define(node.outputs.at(0), perm);
  if (value == 0.0f) {
    context.builder.add_operator(BuiltinOperator::PAD, {x, paddings_tensor}, {y},
                                 options_of(BuiltinOptions::PadOptions, [](Fbb& fbb) { return tflite::CreatePadOptions(fbb); }));
  } else {
    const int fill = context.constant(node.name + "/pad_value", Tensor::from_vector<float>({}, {value}));
    context.builder.add_operator(
        BuiltinOperator::PADV2, {x, paddings_tensor, fill}, {y},
        options_of(BuiltinOptions::PadV2Options, [](Fbb& fbb) { return tflite::CreatePadV2Options(fbb); }));
  }
}

// SLICE takes a begin and a size per TFLite axis, so the IR's ranges are
// listed in the order the input tensor already holds its axes.
void lower_slice(LoweringContext& context, const Node& node) {
  const int input = node.inputs.at(0);
  const std::vector<SliceRange> ranges = slice_ranges(node, context.graph.value(input).shape);
  const Perm perm = context.natural_perm(input);
  const int x = context.tensor_for(input, perm);
  std::vector<std::int64_t> begin, size;
  for (int axis : perm) {
    begin.push_back(ranges[static_cast<std::size_t>(axis)].begin);
    size.push_back(ranges[static_cast<std::size_t>(axis)].count);
  }
  const int begin_tensor = context.int32_constant(node.name + "/begin", begin);
  const int size_tensor = context.int32_constant(node.name + "/size", size);
  const int y = context.define(node.outputs.at(0), perm);
  context.builder.add_operator(
      BuiltinOperator::SLICE, {x, begin_tensor, size_tensor}, {y},
      options_of(BuiltinOptions::SliceOptions, [](Fbb& fbb) { return tflite::CreateSliceOptions(fbb); }));
}

// TFLite picks source index floor(dst * (in / out)) in float, clamped; the IR
// may describe the same mapping by sizes or by scales. Only exact agreement is
// written.
void check_nearest_mapping(const Node& node, std::int64_t in, std::int64_t out, double scale) {
  const float tflite_scale = static_cast<float>(in) / static_cast<float>(out);
  for (std::int64_t dst = 0; dst < out; ++dst) {
    const auto tflite_source = std::min<std::int64_t>(
        static_cast<std::int64_t>(std::floor(static_cast<float>(dst) * tflite_scale)), in - 1);
    const std::int64_t ir_source =
        scale > 0 ? std::min<std::int64_t>(static_cast<std::int64_t>(std::floor(static_cast<double>(dst) / scale)), in - 1)
                  : dst * in / out;
    if (tflite_source != ir_source) {
      unsupported(node, "its nearest-neighbour index mapping differs from TFLite's at output index " +
                            std::to_string(dst));
    }
  }
}

void lower_resize(LoweringContext& context, const Node& node) {
  const Shape& input = context.graph.value(node.inputs.at(0)).shape;
  const Shape& output = context.graph.value(node.outputs.at(0)).shape;
  const std::vector<double> scales = node.attrs.has("sizes") ? std::vector<double>{0, 0} : node.attrs.get_floats("scales");
  check_nearest_mapping(node, input[2], output[2], scales[0]);
  check_nearest_mapping(node, input[3], output[3], scales[1]);
  const int x = context.tensor_for(node.inputs[0], layout::nhwc());
  const int size = context.int32_constant(node.name + "/size", {output[2], output[3]});
  const int y = context.define(node.outputs[0], layout::nhwc());
  context.builder.add_operator(BuiltinOperator::RESIZE_NEAREST_NEIGHBOR, {x, size}, {y},
                               options_of(BuiltinOptions::ResizeNearestNeighborOptions, [](Fbb& fbb) {
                                 return tflite::CreateResizeNearestNeighborOptions(fbb, false, false);
                               }));
}

void lower_dequantize(LoweringContext& context, const Node& node) {
  // A Dequantize of a constant is emitted on demand, in the layout its reader
  // needs (see LoweringContext::tensor_for).
  if (context.graph.is_constant(node.inputs.at(0))) return;
  const Perm perm = context.natural_perm(node.inputs[0]);
  const int x = context.tensor_for(node.inputs[0], perm);
  context.emit_dequantize(x, context.define(node.outputs.at(0), perm));
}

void lower_quantize(LoweringContext& context, const Node& node) {
  if (!context.graph.value(node.outputs.at(0)).quant) unsupported(node, "output has no quantization parameters");
  const Perm perm = context.natural_perm(node.inputs.at(0));
  const int x = context.tensor_for(node.inputs[0], perm);
  const int y = context.define(node.outputs[0], perm);
  context.builder.add_operator(
      BuiltinOperator::QUANTIZE, {x}, {y},
      options_of(BuiltinOptions::QuantizeOptions, [](Fbb& fbb) { return tflite::CreateQuantizeOptions(fbb); }));
}

// An unfolded BatchNorm becomes a per-channel MUL and ADD.
void lower_batch_norm(LoweringContext& context, const Node& node) {
  const Graph& graph = context.graph;
  for (std::size_t i = 1; i < 5; ++i) {
    if (!graph.is_constant(node.inputs.at(i))) unsupported(node, "statistics must be constants");
  }
  const Shape& input = graph.value(node.inputs[0]).shape;
  const std::int64_t channels = input[1];
  const Tensor gamma = graph.constant(node.inputs[1]).to_float32();
  const Tensor beta = graph.constant(node.inputs[2]).to_float32();
  const Tensor mean = graph.constant(node.inputs[3]).to_float32();
  const Tensor variance = graph.constant(node.inputs[4]).to_float32();
  const double epsilon = node.attrs.get_float("epsilon", 1e-5);
  Shape broadcast(input.size(), 1);
  broadcast[1] = channels;
  Tensor scale(DType::Float32, broadcast);
  Tensor shift(DType::Float32, broadcast);
  for (std::int64_t c = 0; c < channels; ++c) {
    const double factor = gamma.data<float>()[c] / std::sqrt(static_cast<double>(variance.data<float>()[c]) + epsilon);
    scale.data<float>()[c] = static_cast<float>(factor);
    shift.data<float>()[c] = static_cast<float>(beta.data<float>()[c] - mean.data<float>()[c] * factor);
  }
  const Fused fused = fuse_activation(context, node);
  const Perm perm = context.natural_perm(node.inputs[0]);
  const int x = context.tensor_for(node.inputs[0], perm);
  const int scale_tensor = context.constant(node.name + "/scale", layout::permute_tensor(scale, perm));
  const int shift_tensor = context.constant(node.name + "/shift", layout::permute_tensor(shift, perm));
  const int scaled = context.scratch(node.name + "/scaled", tflite::TensorType::FLOAT32, layout::permute_shape(input, perm));
  const int y = context.define(fused.output, perm);
  const ActivationFunctionType activation = fused.activation;
  context.builder.add_operator(BuiltinOperator::MUL, {x, scale_tensor}, {scaled},
                               options_of(BuiltinOptions::MulOptions, [](Fbb& fbb) { return tflite::CreateMulOptions(fbb); }));
  context.builder.add_operator(BuiltinOperator::ADD, {scaled, shift_tensor}, {y},
                               options_of(BuiltinOptions::AddOptions,
                                          [=](Fbb& fbb) { return tflite::CreateAddOptions(fbb, activation); }));
}

using Lowering = std::function<void(LoweringContext&, const Node&)>;

const std::map<std::string, Lowering>& lowerings() {
  static const std::map<std::string, Lowering> table = {
      {"Conv", lower_conv},
      {"Linear", lower_linear},
      {"Add", lower_binary},
      {"Sub", lower_binary},
      {"Mul", lower_binary},
      {"Relu", lower_unary},
      {"Relu6", lower_unary},
      {"Sigmoid", lower_unary},
      {"HardSwish", lower_unary},
      {"MaxPool", lower_pool},
      {"AvgPool", lower_pool},
      {"Mean", lower_mean},
      {"GlobalAveragePool", lower_global_average_pool},
      {"Reshape", lower_reshape},
      {"Flatten", lower_reshape},
      {"Transpose", lower_transpose},
      {"Concat", lower_concat},
      {"Pad", lower_pad},
      {"Slice", lower_slice},
      {"Resize", lower_resize},
      {"Dequantize", lower_dequantize},
      {"Quantize", lower_quantize},
      {"BatchNorm", lower_batch_norm},
  };
  return table;
}

}  // namespace

TfliteLoweringCounts lower_to_tflite(const Graph& graph, const TfliteLoweringOptions& options,
                                     TfliteModelBuilder& builder) {
  LoweringContext context(graph, options, builder);
  context.declare_inputs();
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    if (context.skipped(static_cast<int>(i))) continue;
    const Node& node = graph.nodes[i];
    auto found = lowerings().find(node.op);
    if (found == lowerings().end()) unsupported(node, "has no TFLite equivalent in this writer");
    found->second(context, node);
  }
  context.declare_outputs();
  return context.counts;
}

}  // namespace edgeport
