// One import per TFLite builtin: which IR nodes it becomes. Spatial ops read
// their NHWC tensors as NCHW IR values; element-wise ops keep the layout their
// input is already held in.
#include "tflite/import_ops.h"

#include <algorithm>
#include <functional>
#include <map>

#include "core/error.h"
#include "tflite/padding.h"

namespace edgeport {
namespace {

namespace layout = tflite_layout;
using tflite::ActivationFunctionType;
using tflite::BuiltinOperator;
using Perm = layout::Perm;

// The operator being imported, with its checked tensor lists.
struct OperatorSite {
  ImportContext& context;
  int index;
  std::vector<int> inputs;
  std::vector<int> outputs;

  const TfliteModelView& model() const { return context.model; }
  const tflite::Operator& op() const { return context.model.op(index); }
  [[noreturn]] void fail(const std::string& problem) const {
    context.model.fail(context.model.operator_label(index) + ": " + problem);
  }
  int input(std::size_t position) const {
    if (position >= inputs.size() || inputs[position] < 0) fail("input " + std::to_string(position) + " is missing");
    return inputs[position];
  }
  int optional_input(std::size_t position) const { return position < inputs.size() ? inputs[position] : -1; }
  int output() const { return outputs.at(0); }
  Shape shape(int tensor) const { return context.model.shape(tensor); }
  std::size_t rank(int tensor) const { return shape(tensor).size(); }

  void expect_counts(std::size_t min_inputs, std::size_t max_inputs) const {
    if (inputs.size() < min_inputs || inputs.size() > max_inputs) {
      fail("has " + std::to_string(inputs.size()) + " inputs, expected " + std::to_string(min_inputs) +
           (max_inputs != min_inputs ? " to " + std::to_string(max_inputs) : ""));
    }
    if (outputs.size() != 1) fail("has " + std::to_string(outputs.size()) + " outputs, expected 1");
  }
  void expect_rank(int tensor, std::size_t expected) const {
    if (rank(tensor) != expected) {
      fail(context.model.tensor_label(tensor) + " has rank " + std::to_string(rank(tensor)) + ", expected " +
           std::to_string(expected));
    }
  }
  void expect_float(int tensor) const {
    if (context.model.dtype(tensor) != DType::Float32) {
      fail(context.model.tensor_label(tensor) + " is " + std::string(dtype_name(context.model.dtype(tensor))) +
           "; only float32 activations are supported (not fully integer models)");
    }
  }
  template <typename Options>
  const Options& options(const Options* found, const char* name) const {
    if (!found) fail("has no " + std::string(name));
    return *found;
  }
  // The values of a constant integer tensor (shapes, axes, paddings).
  std::vector<std::int64_t> integers(int tensor) const {
    if (!context.model.is_constant(tensor)) fail(context.model.tensor_label(tensor) + " must be a constant");
    const Tensor data = context.model.constant(tensor);
    std::vector<std::int64_t> values;
    if (data.dtype() == DType::Int32) {
      for (std::int32_t v : data.values<std::int32_t>()) values.push_back(v);
    } else if (data.dtype() == DType::Int64) {
      for (std::int64_t v : data.values<std::int64_t>()) values.push_back(v);
    } else {
      fail(context.model.tensor_label(tensor) + " must hold int32 or int64 values");
    }
    return values;
  }
  std::string activation(ActivationFunctionType type) const {
    switch (type) {
      case ActivationFunctionType::NONE: return "none";
      case ActivationFunctionType::RELU: return "relu";
      case ActivationFunctionType::RELU6: return "relu6";
      default: break;
    }
    fail("fused activation " + std::string(tflite::EnumNameActivationFunctionType(type)) + " is not supported");
  }
  // For ops whose IR form has no activation attribute: a separate node.
  int with_activation(int value, ActivationFunctionType type) const {
    const std::string name = activation(type);
    if (name == "none") return value;
    return context.add_node(name == "relu" ? "Relu" : "Relu6", output(), "", {value});
  }
  // The op's own node is named after its output unless an activation follows.
  std::string node_suffix(ActivationFunctionType type) const {
    return activation(type) == "none" ? "" : "_before_activation";
  }
};

std::vector<std::int64_t> spatial_pads(const OperatorSite& site, tflite::Padding padding, const Shape& nhwc,
                                       std::int64_t kernel_h, std::int64_t kernel_w, std::int64_t stride_h,
                                       std::int64_t stride_w, std::int64_t dilation_h, std::int64_t dilation_w) {
  if (stride_h <= 0 || stride_w <= 0 || dilation_h <= 0 || dilation_w <= 0 || kernel_h <= 0 || kernel_w <= 0) {
    site.fail("has a non-positive kernel, stride or dilation");
  }
  if (padding == tflite::Padding::VALID) return {0, 0, 0, 0};
  if (padding != tflite::Padding::SAME) site.fail("has an unknown padding type");
  const SamePadding h = tflite_same_padding(nhwc[1], kernel_h, stride_h, dilation_h);
  const SamePadding w = tflite_same_padding(nhwc[2], kernel_w, stride_w, dilation_w);
  return {h.before, w.before, h.after, w.after};
}

int import_bias(const OperatorSite& site, int tensor) {
  if (tensor < 0) return kNoValue;
  site.expect_float(tensor);
  return site.context.value_in(tensor, layout::identity(site.rank(tensor)));
}

// An int8 filter read directly by a hybrid op must be symmetric, with its
// scales (if several) along the output channels.
void check_hybrid_filter(const OperatorSite& site, int tensor, int channel_dimension) {
  const std::optional<QuantParams> quant = site.model().quantization(tensor, channel_dimension);
  if (!quant) site.fail(site.model().tensor_label(tensor) + " is int8 without quantization parameters");
  if (!quant->symmetric()) {
    site.fail(site.model().tensor_label(tensor) + " has nonzero zero points, which TFLite's hybrid kernels ignore");
  }
  if (quant->per_channel() && quant->axis != channel_dimension) {
    site.fail(site.model().tensor_label(tensor) + " is quantized along an axis other than its output channels");
  }
}

// The filter of a conv or fully-connected op as an IR weight: float (possibly
// behind a DEQUANTIZE), or an int8 constant read directly by a hybrid op.
int import_filter(const OperatorSite& site, int tensor, const Perm& perm, int channel_dimension, bool& hybrid) {
  const DType type = site.model().dtype(tensor);
  hybrid = type == DType::Int8;
  if (type == DType::Float32) return site.context.value_in(tensor, perm);
  if (!hybrid) site.fail(site.model().tensor_label(tensor) + " is " + std::string(dtype_name(type)) + ", not a float32 or int8 filter");
  check_hybrid_filter(site, tensor, channel_dimension);
  return site.context.filter_value(tensor, perm, channel_dimension);
}

void import_conv(OperatorSite& site, bool depthwise) {
  site.expect_counts(2, 3);
  const int x_tensor = site.input(0);
  const int filter_tensor = site.input(1);
  site.expect_rank(x_tensor, 4);
  site.expect_rank(filter_tensor, 4);
  site.expect_float(x_tensor);
  const Shape x = site.shape(x_tensor);
  const Shape filter = site.shape(filter_tensor);
  Attributes attrs;
  std::int64_t stride_h, stride_w, dilation_h, dilation_w;
  tflite::Padding padding;
  ActivationFunctionType activation;
  std::int64_t group = 1;
  if (depthwise) {
    const auto& options = site.options(site.op().builtin_options_as_DepthwiseConv2DOptions(), "DepthwiseConv2DOptions");
    stride_h = options.stride_h(), stride_w = options.stride_w();
    dilation_h = options.dilation_h_factor(), dilation_w = options.dilation_w_factor();
    padding = options.padding();
    activation = options.fused_activation_function();
    if (filter[0] != 1 || x[3] == 0 || filter[3] % x[3] != 0) {
      site.fail("filter " + shape_to_string(filter) + " does not fit input " + shape_to_string(x));
    }
    group = x[3];
  } else {
    const auto& options = site.options(site.op().builtin_options_as_Conv2DOptions(), "Conv2DOptions");
    stride_h = options.stride_h(), stride_w = options.stride_w();
    dilation_h = options.dilation_h_factor(), dilation_w = options.dilation_w_factor();
    padding = options.padding();
    activation = options.fused_activation_function();
    if (filter[3] <= 0 || x[3] % filter[3] != 0 || filter[0] % (x[3] / filter[3]) != 0) {
      site.fail("filter " + shape_to_string(filter) + " does not fit input " + shape_to_string(x));
    }
    group = x[3] / filter[3];
  }
  const std::int64_t kernel_h = filter[1], kernel_w = filter[2];
  attrs.set("strides", std::vector<std::int64_t>{stride_h, stride_w});
  attrs.set("dilations", std::vector<std::int64_t>{dilation_h, dilation_w});
  attrs.set("pads", spatial_pads(site, padding, x, kernel_h, kernel_w, stride_h, stride_w, dilation_h, dilation_w));
  attrs.set("group", group);
  attrs.set("activation", site.activation(activation));

  const int x_value = site.context.value_in(x_tensor, layout::nhwc());
  bool hybrid = false;
  const int weight = import_filter(site, filter_tensor, depthwise ? Perm{1, 2, 3, 0} : Perm{0, 2, 3, 1},
                                   depthwise ? 3 : 0, hybrid);
  if (hybrid) attrs.set("hybrid", std::int64_t{1});
  std::vector<int> inputs{x_value, weight};
  const int bias = import_bias(site, site.optional_input(2));
  if (bias != kNoValue) inputs.push_back(bias);
  const int y = site.context.add_node("Conv", site.output(), "", inputs, std::move(attrs));
  site.context.hold(site.output(), y, layout::nhwc());
}

void import_fully_connected(OperatorSite& site) {
  site.expect_counts(2, 3);
  const int x_tensor = site.input(0);
  const int filter_tensor = site.input(1);
  site.expect_float(x_tensor);
  site.expect_rank(filter_tensor, 2);
  const tflite::FullyConnectedOptions* options = site.op().builtin_options_as_FullyConnectedOptions();
  if (options && options->weights_format() != tflite::FullyConnectedOptionsWeightsFormat::DEFAULT) {
    site.fail("has shuffled weights, which are not supported");
  }
  const bool keep_num_dims = options && options->keep_num_dims();
  const Shape x = site.shape(x_tensor);
  const std::int64_t in_features = site.shape(filter_tensor)[1];
  if (x.empty() || in_features <= 0 || shape_numel(x) % in_features != 0) {
    site.fail("input " + shape_to_string(x) + " does not fit filter " + shape_to_string(site.shape(filter_tensor)));
  }
  int x_value;
  if (keep_num_dims || (x.size() == 2 && x[1] == in_features)) {
    x_value = site.context.value_in(x_tensor, layout::identity(x.size()));
  } else {
    // FULLY_CONNECTED reads any input as [elements / in_features, in_features].
    Attributes flatten;
    flatten.set("shape", std::vector<std::int64_t>{shape_numel(x) / in_features, in_features});
    x_value = site.context.add_node("Reshape", site.output(), "_input_rows",
                                    {site.context.order_keeping_value(x_tensor)}, std::move(flatten));
  }
  Attributes attrs;
  attrs.set("activation", site.activation(options ? options->fused_activation_function() : ActivationFunctionType::NONE));
  bool hybrid = false;
  const int weight = import_filter(site, filter_tensor, {0, 1}, 0, hybrid);
  if (hybrid) attrs.set("hybrid", std::int64_t{1});
  std::vector<int> inputs{x_value, weight};
  const int bias = import_bias(site, site.optional_input(2));
  if (bias != kNoValue) inputs.push_back(bias);
  const int y = site.context.add_node("Linear", site.output(), "", inputs, std::move(attrs));
  site.context.hold(site.output(), y, layout::identity(site.rank(site.output())));
}

void import_binary(OperatorSite& site, const std::string& op) {
  site.expect_counts(2, 2);
  ActivationFunctionType activation = ActivationFunctionType::NONE;
  if (const auto* add = site.op().builtin_options_as_AddOptions()) activation = add->fused_activation_function();
  if (const auto* sub = site.op().builtin_options_as_SubOptions()) activation = sub->fused_activation_function();
  if (const auto* mul = site.op().builtin_options_as_MulOptions()) activation = mul->fused_activation_function();
  const std::size_t rank = site.rank(site.output());
  Perm perm = layout::identity(rank);
  for (std::size_t i = 0; i < 2; ++i) {
    const int tensor = site.input(i);
    site.expect_float(tensor);
    if (!site.model().is_constant(tensor) && !site.context.is_deferred(tensor) && site.rank(tensor) == rank) {
      perm = site.context.natural_perm(tensor);
      break;
    }
  }
  const int a = site.context.broadcast_operand(site.input(0), rank, perm);
  const int b = site.context.broadcast_operand(site.input(1), rank, perm);
  Attributes attrs;
  attrs.set("activation", site.activation(activation));
  const int y = site.context.add_node(op, site.output(), "", {a, b}, std::move(attrs));
  site.context.hold(site.output(), y, perm);
}

void import_pool(OperatorSite& site, bool max_pool) {
  site.expect_counts(1, 1);
  const int x_tensor = site.input(0);
  site.expect_rank(x_tensor, 4);
  site.expect_float(x_tensor);
  const auto& options = site.options(site.op().builtin_options_as_Pool2DOptions(), "Pool2DOptions");
  Attributes attrs;
  attrs.set("kernel", std::vector<std::int64_t>{options.filter_height(), options.filter_width()});
  attrs.set("strides", std::vector<std::int64_t>{options.stride_h(), options.stride_w()});
  attrs.set("pads", spatial_pads(site, options.padding(), site.shape(x_tensor), options.filter_height(),
                                 options.filter_width(), options.stride_h(), options.stride_w(), 1, 1));
  // TFLite's SAME average pool divides by the number of real inputs.
  if (!max_pool) attrs.set("count_include_pad", std::int64_t{0});
  const int x = site.context.value_in(x_tensor, layout::nhwc());
  const ActivationFunctionType activation = options.fused_activation_function();
  const int pooled = site.context.add_node(max_pool ? "MaxPool" : "AvgPool", site.output(),
                                           site.node_suffix(activation), {x}, std::move(attrs));
  site.context.hold(site.output(), site.with_activation(pooled, activation), layout::nhwc());
}

void import_mean(OperatorSite& site) {
  site.expect_counts(2, 2);
  const int x_tensor = site.input(0);
  site.expect_float(x_tensor);
  const auto rank = static_cast<std::int64_t>(site.rank(x_tensor));
  const auto* options = site.op().builtin_options_as_ReducerOptions();
  const bool keep_dims = options && options->keep_dims();
  const Perm perm = site.context.natural_perm(x_tensor);
  std::vector<int> reduced;
  for (std::int64_t axis : site.integers(site.input(1))) {
    if (axis < -rank || axis >= rank) site.fail("axis " + std::to_string(axis) + " is out of range");
    const int ir_axis = perm[static_cast<std::size_t>(axis < 0 ? axis + rank : axis)];
    if (std::find(reduced.begin(), reduced.end(), ir_axis) == reduced.end()) reduced.push_back(ir_axis);
  }
  Attributes attrs;
  attrs.set("axes", std::vector<std::int64_t>(reduced.begin(), reduced.end()));
  attrs.set("keepdims", std::int64_t{keep_dims ? 1 : 0});
  const int y = site.context.add_node("Mean", site.output(), "", {site.context.value_in(x_tensor, perm)}, std::move(attrs));
  site.context.hold(site.output(), y, keep_dims ? perm : layout::surviving_perm(perm, reduced));
}

void import_reshape(OperatorSite& site) {
  site.expect_counts(1, 2);
  const Shape output = site.shape(site.output());
  if (shape_numel(output) != shape_numel(site.shape(site.input(0)))) {
    site.fail("cannot reshape " + shape_to_string(site.shape(site.input(0))) + " to " + shape_to_string(output));
  }
  Attributes attrs;
  attrs.set("shape", std::vector<std::int64_t>(output.begin(), output.end()));
  const int y = site.context.add_node("Reshape", site.output(), "", {site.context.order_keeping_value(site.input(0))},
                                      std::move(attrs));
  site.context.hold(site.output(), y, layout::identity(output.size()));
}

// A TRANSPOSE changes only which IR axis each TFLite axis refers to.
void import_transpose(OperatorSite& site) {
  site.expect_counts(2, 2);
  const int x_tensor = site.input(0);
  const std::vector<std::int64_t> values = site.integers(site.input(1));
  const Perm transpose(values.begin(), values.end());
  layout::check_permutation(transpose, site.rank(x_tensor), site.model().operator_label(site.index) + " perm");
  const Perm held = site.context.natural_perm(x_tensor);
  const int x = site.context.value_in(x_tensor, held);
  site.context.hold(site.output(), x, layout::compose(held, transpose));
}

void import_pad(OperatorSite& site, bool with_value) {
  site.expect_counts(2, with_value ? 3 : 2);
  const int x_tensor = site.input(0);
  site.expect_float(x_tensor);
  const std::size_t rank = site.rank(x_tensor);
  const std::vector<std::int64_t> paddings = site.integers(site.input(1));
  if (paddings.size() != 2 * rank) site.fail("paddings do not have shape [" + std::to_string(rank) + ", 2]");
  float fill = 0.0f;
  if (with_value && site.optional_input(2) >= 0) {
    const Tensor value = site.model().constant(site.input(2));
    if (value.dtype() != DType::Float32 || value.numel() != 1) site.fail("pad value must be one float32");
    fill = value.data<float>()[0];
  }
  const Perm perm = site.context.natural_perm(x_tensor);
  std::vector<std::int64_t> pads(2 * rank);
  for (std::size_t i = 0; i < rank; ++i) {
    if (paddings[2 * i] < 0 || paddings[2 * i + 1] < 0) site.fail("negative padding is not supported");
    pads[static_cast<std::size_t>(perm[i])] = paddings[2 * i];
    pads[static_cast<std::size_t>(perm[i]) + rank] = paddings[2 * i + 1];
  }
  Attributes attrs;
  attrs.set("pads", pads);
  attrs.set("value", static_cast<double>(fill));
  const int y = site.context.add_node("Pad", site.output(), "", {site.context.value_in(x_tensor, perm)}, std::move(attrs));
  site.context.hold(site.output(), y, perm);
}

// SLICE's begin and size (-1: to the end) per TFLite axis become the IR's
// starts, ends and axes in the layout the input is held in.
void import_slice(OperatorSite& site) {
  site.expect_counts(3, 3);
  const int x_tensor = site.input(0);
  site.expect_float(x_tensor);
  const Shape shape = site.shape(x_tensor);
  const std::vector<std::int64_t> begin = site.integers(site.input(1));
  const std::vector<std::int64_t> size = site.integers(site.input(2));
  if (begin.size() != shape.size() || size.size() != shape.size()) {
    site.fail("begin and size must hold " + std::to_string(shape.size()) + " values, one per axis");
  }
  const Perm perm = site.context.natural_perm(x_tensor);
  std::vector<std::int64_t> starts, ends, axes;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const std::int64_t count = size[i] == -1 ? shape[i] - begin[i] : size[i];
    if (begin[i] < 0 || count < 0 || begin[i] + count > shape[i]) {
      site.fail("begin " + std::to_string(begin[i]) + " and size " + std::to_string(size[i]) + " leave axis " +
                std::to_string(i) + " of extent " + std::to_string(shape[i]));
    }
    starts.push_back(begin[i]);
    ends.push_back(begin[i] + count);
    axes.push_back(perm[i]);
  }
  Attributes attrs;
  attrs.set("starts", starts);
  attrs.set("ends", ends);
  attrs.set("axes", axes);
  const int y = site.context.add_node("Slice", site.output(), "", {site.context.value_in(x_tensor, perm)}, std::move(attrs));
  site.context.hold(site.output(), y, perm);
}

void import_unary(OperatorSite& site, const std::string& op) {
  site.expect_counts(1, 1);
  site.expect_float(site.input(0));
  const Perm perm = site.context.natural_perm(site.input(0));
  const int y = site.context.add_node(op, site.output(), "", {site.context.value_in(site.input(0), perm)});
  site.context.hold(site.output(), y, perm);
}

void import_resize_nearest(OperatorSite& site) {
  site.expect_counts(2, 2);
  const int x_tensor = site.input(0);
  site.expect_rank(x_tensor, 4);
  site.expect_float(x_tensor);
  if (const auto* options = site.op().builtin_options_as_ResizeNearestNeighborOptions()) {
    if (options->align_corners() || options->half_pixel_centers()) {
      site.fail("align_corners / half_pixel_centers resizing is not supported");
    }
  }
  const std::vector<std::int64_t> size = site.integers(site.input(1));
  if (size.size() != 2) site.fail("size must hold 2 values");
  Attributes attrs;
  attrs.set("sizes", size);
  const int y = site.context.add_node("Resize", site.output(), "", {site.context.value_in(x_tensor, layout::nhwc())},
                                      std::move(attrs));
  site.context.hold(site.output(), y, layout::nhwc());
}

void import_concatenation(OperatorSite& site) {
  if (site.inputs.empty() || site.outputs.size() != 1) site.fail("needs inputs and one output");
  const auto& options = site.options(site.op().builtin_options_as_ConcatenationOptions(), "ConcatenationOptions");
  const auto rank = static_cast<std::int64_t>(site.rank(site.output()));
  std::int64_t axis = options.axis();
  if (axis < -rank || axis >= rank) site.fail("axis " + std::to_string(axis) + " is out of range");
  if (axis < 0) axis += rank;
  Perm perm = layout::identity(static_cast<std::size_t>(rank));
  for (int tensor : site.inputs) {
    if (tensor < 0) site.fail("an input is missing");
    if (!site.model().is_constant(tensor) && !site.context.is_deferred(tensor)) {
      perm = site.context.natural_perm(tensor);
      break;
    }
  }
  std::vector<int> values;
  for (int tensor : site.inputs) values.push_back(site.context.value_in(tensor, perm));
  Attributes attrs;
  attrs.set("axis", std::int64_t{perm[static_cast<std::size_t>(axis)]});
  const ActivationFunctionType activation = options.fused_activation_function();
  const int joined = site.context.add_node("Concat", site.output(), site.node_suffix(activation), values, std::move(attrs));
  site.context.hold(site.output(), site.with_activation(joined, activation), perm);
}

void import_dequantize(OperatorSite& site) {
  site.expect_counts(1, 1);
  const int source = site.input(0);
  const DType type = site.model().dtype(source);
  if (site.model().is_constant(source)) {
    if (type == DType::Float16) {
      site.model().constant(source);
    } else if ((type == DType::Int8 || type == DType::UInt8) && site.model().quantization(source)) {
      site.model().constant(source);
    } else {
      site.fail(site.model().tensor_label(source) + " is not float16 or quantized int8/uint8");
    }
    if (site.shape(source) != site.shape(site.output())) site.fail("input and output shapes differ");
    site.context.defer_dequantize(site.output(), source);
    return;
  }
  if ((type != DType::Int8 && type != DType::UInt8) || !site.model().quantization(source)) {
    site.fail(site.model().tensor_label(source) + " is not a quantized int8/uint8 tensor");
  }
  const Perm perm = site.context.natural_perm(source);
  const int y = site.context.add_node("Dequantize", site.output(), "", {site.context.value_in(source, perm)});
  site.context.hold(site.output(), y, perm);
}

void import_quantize(OperatorSite& site) {
  site.expect_counts(1, 1);
  site.expect_float(site.input(0));
  const DType type = site.model().dtype(site.output());
  std::optional<QuantParams> quant = site.model().quantization(site.output());
  if ((type != DType::Int8 && type != DType::UInt8) || !quant) {
    site.fail(site.model().tensor_label(site.output()) + " is not a quantized int8/uint8 tensor");
  }
  const Perm perm = site.context.natural_perm(site.input(0));
  if (quant->per_channel()) quant->axis = perm[static_cast<std::size_t>(quant->axis)];
  Attributes attrs;
  attrs.set("dtype", std::string(type == DType::Int8 ? "int8" : "uint8"));
  const int y = site.context.add_node("Quantize", site.output(), "", {site.context.value_in(site.input(0), perm)},
                                      std::move(attrs));
  site.context.graph.value(y).quant = quant;
  site.context.hold(site.output(), y, perm);
}

using Import = std::function<void(OperatorSite&)>;

const std::map<BuiltinOperator, Import>& imports() {
  static const std::map<BuiltinOperator, Import> table = {
      {BuiltinOperator::CONV_2D, [](OperatorSite& site) { import_conv(site, false); }},
      {BuiltinOperator::DEPTHWISE_CONV_2D, [](OperatorSite& site) { import_conv(site, true); }},
      {BuiltinOperator::FULLY_CONNECTED, import_fully_connected},
      {BuiltinOperator::ADD, [](OperatorSite& site) { import_binary(site, "Add"); }},
      {BuiltinOperator::SUB, [](OperatorSite& site) { import_binary(site, "Sub"); }},
      {BuiltinOperator::MUL, [](OperatorSite& site) { import_binary(site, "Mul"); }},
      {BuiltinOperator::AVERAGE_POOL_2D, [](OperatorSite& site) { import_pool(site, false); }},
      {BuiltinOperator::MAX_POOL_2D, [](OperatorSite& site) { import_pool(site, true); }},
      {BuiltinOperator::MEAN, import_mean},
      {BuiltinOperator::RESHAPE, import_reshape},
      {BuiltinOperator::TRANSPOSE, import_transpose},
      {BuiltinOperator::PAD, [](OperatorSite& site) { import_pad(site, false); }},
      {BuiltinOperator::PADV2, [](OperatorSite& site) { import_pad(site, true); }},
      {BuiltinOperator::SLICE, import_slice},
      {BuiltinOperator::RELU, [](OperatorSite& site) { import_unary(site, "Relu"); }},
      {BuiltinOperator::RELU6, [](OperatorSite& site) { import_unary(site, "Relu6"); }},
      {BuiltinOperator::LOGISTIC, [](OperatorSite& site) { import_unary(site, "Sigmoid"); }},
      {BuiltinOperator::HARD_SWISH, [](OperatorSite& site) { import_unary(site, "HardSwish"); }},
      {BuiltinOperator::RESIZE_NEAREST_NEIGHBOR, import_resize_nearest},
      {BuiltinOperator::CONCATENATION, import_concatenation},
      {BuiltinOperator::DEQUANTIZE, import_dequantize},
      {BuiltinOperator::QUANTIZE, import_quantize},
  };
  return table;
}

}  // namespace

void import_operator(ImportContext& context, int index) {
  const BuiltinOperator code = context.model.operator_code(index);
  auto found = imports().find(code);
  if (found == imports().end()) {
    context.model.fail(context.model.operator_label(index) + ", version " +
                       std::to_string(context.model.operator_version(index)) +
                       ", is not supported by edgeport's TFLite reader");
  }
  OperatorSite site{context, index, context.model.operator_inputs(index), context.model.operator_outputs(index)};
  found->second(site);
}

}  // namespace edgeport
