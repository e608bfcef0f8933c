// ONNX -> IR for the float ops of CNNs, as torch.onnx.export and edgeport's
// writer emit them: Conv, BatchNormalization, Relu, Clip, Sigmoid,
// HardSigmoid (x * HardSigmoid(x) only), HardSwish, Add, Sub, Mul, Div (by a
// constant), MaxPool, AveragePool, GlobalAveragePool, ReduceMean, Gemm, MatMul,
// Flatten, Reshape, Transpose, Concat, Unsqueeze, Squeeze, Pad, Slice, Resize and
// Upsample (nearest, PyTorch's floor rounding), Identity, Dropout, Cast, and
// the integer ConvInteger and MatMulInteger.
#include <cmath>
#include <limits>

#include "core/ops/shape_rules.h"
#include "onnx/import_shapes.h"
#include "onnx/onnx_importer.h"
#include "onnx/onnx_tensor.h"

namespace edgeport {
namespace {

using Ints = std::vector<std::int64_t>;

// Pads [top, left, bottom, right] of a 2-d window, honouring auto_pad.
Ints window_pads(OnnxImporter& importer, const Shape& input, const Ints& kernel, const Ints& strides,
                 const Ints& dilations) {
  const std::string auto_pad = importer.attr_string("auto_pad", "NOTSET");
  if (auto_pad == "NOTSET") {
    const Ints pads = importer.attr_ints("pads", {0, 0, 0, 0});
    if (pads.size() != 4) importer.fail("expects 4 pads for a 2-d window");
    return pads;
  }
  if (auto_pad == "VALID") return {0, 0, 0, 0};
  if (auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER") importer.fail("auto_pad '" + auto_pad + "' is not supported");
  Ints pads(4, 0);
  for (std::size_t axis = 0; axis < 2; ++axis) {
    const std::int64_t extent = input.at(axis + 2);
    const std::int64_t out = (extent + strides[axis] - 1) / strides[axis];
    const std::int64_t total =
        std::max<std::int64_t>(0, (out - 1) * strides[axis] + (kernel[axis] - 1) * dilations[axis] + 1 - extent);
    const std::int64_t begin = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
    pads[axis] = begin;
    pads[axis + 2] = total - begin;
  }
  return pads;
}

Ints two_ints(OnnxImporter& importer, const std::string& name, const Ints& fallback) {
  const Ints values = importer.attr_ints(name, fallback);
  if (values.size() != 2) importer.fail("only 2-d windows are supported ('" + name + "' has " + std::to_string(values.size()) + " values)");
  return values;
}

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

// Conv's window attributes, shared by ConvInteger.
Attributes conv_attributes(OnnxImporter& importer) {
  require_4d_input(importer);
  const Shape& weight = importer.input_shape(1);
  if (weight.size() != 4) importer.fail("only 2-d convolution is supported");
  const Ints kernel{weight[2], weight[3]};
  if (importer.has_attribute("kernel_shape") && importer.attr_ints("kernel_shape", {}) != kernel) {
    importer.fail("kernel_shape does not match the weight " + shape_to_string(weight));
  }
  const Ints strides = two_ints(importer, "strides", {1, 1});
  const Ints dilations = two_ints(importer, "dilations", {1, 1});
  Attributes attrs;
  attrs.set("strides", strides);
  attrs.set("dilations", dilations);
  attrs.set("pads", window_pads(importer, importer.input_shape(0), kernel, strides, dilations));
  attrs.set("group", importer.attr_int("group", 1));
  return attrs;
}

void import_conv(OnnxImporter& importer) {
  const Attributes attrs = conv_attributes(importer);
  std::vector<int> inputs{importer.input(0), importer.input(1)};
  if (importer.has_input(2)) inputs.push_back(importer.input(2));
  importer.emit("Conv", inputs, attrs);
}

// Integer ops take their optional zero points as IR inputs.
std::vector<int> integer_op_inputs(OnnxImporter& importer) {
  std::vector<int> inputs{importer.input(0), importer.input(1)};
  for (std::size_t index = 2; index < 4; ++index) {
    if (importer.has_input(index)) {
      inputs.resize(index, kNoValue);
      inputs.push_back(importer.input(index));
    }
  }
  return inputs;
}

void import_conv_integer(OnnxImporter& importer) {
  const Attributes attrs = conv_attributes(importer);
  importer.emit("ConvInteger", integer_op_inputs(importer), attrs);
}

void import_matmul_integer(OnnxImporter& importer) { importer.emit("MatMulInteger", integer_op_inputs(importer)); }

void import_batch_norm(OnnxImporter& importer) {
  if (importer.attr_int("training_mode", 0) != 0) importer.fail("training mode is not supported");
  if (importer.attr_int("spatial", 1) != 1) importer.fail("spatial=0 is not supported");
  importer.require_single_output();
  Attributes attrs;
  attrs.set("epsilon", static_cast<double>(importer.attr_float("epsilon", 1e-5f)));
  std::vector<int> inputs;
  for (std::size_t i = 0; i < 5; ++i) inputs.push_back(importer.input(i));
  importer.emit("BatchNorm", inputs, attrs);
}

void import_unary(OnnxImporter& importer) {
  require_float_input(importer, 0);
  // Relu, Sigmoid and HardSwish have the same names and meaning in the IR.
  importer.emit(importer.node().op_type(), {importer.input(0)});
}

float scalar_bound(OnnxImporter& importer, std::size_t index, float fallback) {
  if (!importer.has_input(index)) return fallback;
  const Tensor& bound = importer.require_constant(index, "Clip bound");
  if (bound.numel() != 1) importer.fail("Clip bound must be a scalar");
  return bound.to_float32().data<float>()[0];
}

void import_clip(OnnxImporter& importer) {
  const float infinity = std::numeric_limits<float>::infinity();
  const float low = importer.opset() < 11 ? importer.attr_float("min", -infinity) : scalar_bound(importer, 1, -infinity);
  const float high = importer.opset() < 11 ? importer.attr_float("max", infinity) : scalar_bound(importer, 2, infinity);
  if (low == 0.0f && high == 6.0f) {
    importer.emit("Relu6", {importer.input(0)});
  } else if (low == 0.0f && high == infinity) {
    importer.emit("Relu", {importer.input(0)});
  } else {
    importer.fail("Clip to [" + std::to_string(low) + ", " + std::to_string(high) +
                  "] is not supported (only [0, 6] and [0, inf))");
  }
}

void import_hard_sigmoid(OnnxImporter& importer) {
  const float alpha = importer.attr_float("alpha", 0.2f);
  const float beta = importer.attr_float("beta", 0.5f);
  if (std::fabs(alpha - 1.0f / 6.0f) > 1e-6f || beta != 0.5f) {
    importer.fail("only HardSigmoid(alpha=1/6, beta=0.5) feeding x * HardSigmoid(x) (HardSwish) is supported");
  }
  importer.defer_hard_swish_gate(importer.input(0));
}

// A known operand of Add / Sub / Mul must be float32 to meet a float tensor.
void import_binary(OnnxImporter& importer) {
  const std::string& op = importer.node().op_type();
  if (op == "Mul") {
    for (std::size_t gate = 0; gate < 2; ++gate) {
      const int source = importer.hard_swish_gate_source(gate);
      if (source == kNoValue) continue;
      if (importer.input(1 - gate) != source) importer.fail("HardSigmoid gate multiplies a tensor other than its input");
      importer.emit("HardSwish", {source});
      return;
    }
  }
  require_float_input(importer, 0);
  require_float_input(importer, 1);
  if (op == "Div") {
    const Tensor* divisor = importer.constant_input(1);
    if (!divisor) importer.fail("division by a computed tensor is not supported");
    Tensor reciprocal = divisor->to_float32();
    for (float& value : reciprocal.values<float>()) value = 1.0f / value;
    const int factor = importer.add_constant(importer.node().input(1) + "_reciprocal", std::move(reciprocal));
    importer.emit("Mul", {importer.input(0), factor});
    return;
  }
  importer.emit(op, {importer.input(0), importer.input(1)});
}

void import_pool(OnnxImporter& importer) {
  require_4d_input(importer);
  importer.require_single_output();
  const bool max_pool = importer.node().op_type() == "MaxPool";
  const Ints kernel = two_ints(importer, "kernel_shape", {});
  const Ints strides = two_ints(importer, "strides", {1, 1});
  const Ints dilations = two_ints(importer, "dilations", {1, 1});
  if (!max_pool && dilations != Ints{1, 1}) importer.fail("dilated average pooling is not supported");
  Attributes attrs;
  attrs.set("kernel", kernel);
  attrs.set("strides", strides);
  attrs.set("pads", window_pads(importer, importer.input_shape(0), kernel, strides, dilations));
  attrs.set("ceil_mode", importer.attr_int("ceil_mode", 0));
  if (max_pool) {
    attrs.set("dilations", dilations);
  } else {
    attrs.set("count_include_pad", importer.attr_int("count_include_pad", 0));
  }
  importer.emit(max_pool ? "MaxPool" : "AvgPool", {importer.input(0)}, attrs);
}

void import_global_average_pool(OnnxImporter& importer) {
  require_4d_input(importer);
  importer.emit("GlobalAveragePool", {importer.input(0)});
}

void import_reduce_mean(OnnxImporter& importer) {
  Ints axes = importer.opset() < 18 ? importer.attr_ints("axes", {}) : axes_operand(importer, 18);
  if (axes.empty()) {
    for (std::size_t axis = 0; axis < importer.input_shape(0).size(); ++axis) axes.push_back(static_cast<std::int64_t>(axis));
  }
  Attributes attrs;
  attrs.set("axes", axes);
  attrs.set("keepdims", importer.attr_int("keepdims", 1));
  importer.emit("Mean", {importer.input(0)}, attrs);
}

Tensor transposed_matrix(const Tensor& matrix) {
  Tensor result(matrix.dtype(), {matrix.dim(1), matrix.dim(0)});
  const std::size_t element = dtype_size(matrix.dtype());
  for (std::int64_t r = 0; r < matrix.dim(0); ++r) {
    for (std::int64_t c = 0; c < matrix.dim(1); ++c) {
      std::copy_n(matrix.raw() + (r * matrix.dim(1) + c) * element, element,
                  result.raw() + (c * matrix.dim(0) + r) * element);
    }
  }
  result.quant = matrix.quant;
  if (result.quant && result.quant->per_channel()) result.quant->axis = 1 - result.quant->axis;
  return result;
}

// The [out, in] weight of a Linear from the 2-d operand `index`, stored as
// [in, out] when `transpose`. A Dequantize of an integer constant stays one,
// over transposed codes.
int linear_weight(OnnxImporter& importer, std::size_t index, bool transpose, float alpha) {
  if (importer.input_shape(index).size() != 2) importer.fail("the weight must be 2-d");
  if (const Tensor* constant = importer.constant_input(index)) {
    if (constant->dtype() != DType::Float32) importer.fail("the weight must be float32");
    if (!transpose && alpha == 1.0f) return importer.input(index);
    Tensor weight = transpose ? transposed_matrix(*constant) : *constant;
    for (float& value : weight.values<float>()) value *= alpha;
    return importer.add_constant(importer.node().input(static_cast<int>(index)) + "_linear", std::move(weight));
  }
  const int value = importer.input(index);
  if (alpha != 1.0f) importer.fail("alpha != 1 is only supported with a constant weight");
  if (!transpose) return value;
  const Graph& graph = importer.graph();
  const int producer = graph.producer(value);
  if (producer >= 0) {
    const Node& dequantize = graph.nodes[static_cast<std::size_t>(producer)];
    if (dequantize.op == "Dequantize" && graph.is_constant(dequantize.inputs[0])) {
      const Value& codes = graph.value(dequantize.inputs[0]);
      Tensor transposed = transposed_matrix(*codes.constant);
      if (codes.quant) {
        transposed.quant = codes.quant;
        if (codes.quant->per_channel()) transposed.quant->axis = 1 - codes.quant->axis;
      }
      const int constant = importer.add_constant(codes.name + "_transposed", std::move(transposed));
      return importer.emit_helper("Dequantize", "weight", {constant});
    }
  }
  Attributes perm;
  perm.set("perm", Ints{1, 0});
  return importer.emit_helper("Transpose", "weight", {value}, perm);
}

// The bias of a Linear with `outputs` columns from Gemm's C: [out], [1, out]
// or a scalar, times beta.
int linear_bias(OnnxImporter& importer, std::int64_t outputs, float beta) {
  const Tensor& c = importer.require_constant(2, "Gemm's C");
  if (c.dtype() != DType::Float32) importer.fail("C must be float32");
  Tensor bias(DType::Float32, {outputs});
  const bool scalar = c.numel() == 1;
  if (!scalar && c.numel() != outputs) importer.fail("C of shape " + shape_to_string(c.shape()) + " is not a bias");
  if (!scalar && c.rank() == 2 && c.dim(0) != 1) importer.fail("C of shape " + shape_to_string(c.shape()) + " is not a bias");
  for (std::int64_t i = 0; i < outputs; ++i) bias.data<float>()[i] = beta * c.data<float>()[scalar ? 0 : i];
  if (beta == 1.0f && c.rank() == 1 && !scalar) return importer.input(2);
  return importer.add_constant(importer.node().input(2) + "_bias", std::move(bias));
}

void import_gemm(OnnxImporter& importer) {
  if (importer.attr_int("transA", 0) != 0) importer.fail("transA is not supported");
  require_float_input(importer, 0);
  const bool trans_b = importer.attr_int("transB", 0) != 0;
  const int weight = linear_weight(importer, 1, !trans_b, importer.attr_float("alpha", 1.0f));
  std::vector<int> inputs{importer.input(0), weight};
  if (importer.has_input(2)) {
    inputs.push_back(linear_bias(importer, importer.graph().value(weight).shape[0], importer.attr_float("beta", 1.0f)));
  }
  importer.emit("Linear", inputs);
}

bool is_known_weight(OnnxImporter& importer, std::size_t index) {
  if (importer.input_shape(index).size() != 2) return false;
  if (importer.constant_input(index)) return true;
  const int producer = importer.graph().producer(importer.input(index));
  return producer >= 0 && importer.graph().nodes[static_cast<std::size_t>(producer)].op == "Dequantize";
}

void import_matmul(OnnxImporter& importer) {
  require_float_input(importer, 0);
  require_float_input(importer, 1);
  if (is_known_weight(importer, 1) && !importer.input_shape(0).empty()) {
    importer.emit("Linear", {importer.input(0), linear_weight(importer, 1, true, 1.0f)});
  } else {
    importer.emit("MatMul", {importer.input(0), importer.input(1)});
  }
}

void import_flatten(OnnxImporter& importer) {
  Attributes attrs;
  attrs.set("axis", importer.attr_int("axis", 1));
  importer.emit("Flatten", {importer.input(0)}, attrs);
}

void import_reshape(OnnxImporter& importer) {
  const Shape& input = importer.input_shape(0);
  Shape shape;
  const std::string& op = importer.node().op_type();
  if (op == "Reshape") {
    const Tensor& spec = importer.require_constant(1, "Reshape's shape");
    shape = reshape_target(importer, input, int64_values(importer, spec, "shape"), importer.attr_int("allowzero", 0) != 0);
  } else if (op == "Unsqueeze") {
    shape = unsqueezed_shape(importer, input, axes_operand(importer, 13));
  } else {
    shape = squeezed_shape(importer, input, axes_operand(importer, 13));
  }
  Attributes attrs;
  attrs.set("shape", shape);
  importer.emit("Reshape", {importer.input(0)}, attrs);
}

void import_transpose(OnnxImporter& importer) {
  Ints reversed;
  for (std::size_t axis = importer.input_shape(0).size(); axis-- > 0;) reversed.push_back(static_cast<std::int64_t>(axis));
  Attributes attrs;
  attrs.set("perm", importer.attr_ints("perm", reversed));
  importer.emit("Transpose", {importer.input(0)}, attrs);
}

void import_concat(OnnxImporter& importer) {
  std::vector<int> inputs;
  for (int i = 0; i < importer.node().input_size(); ++i) inputs.push_back(importer.input(static_cast<std::size_t>(i)));
  Attributes attrs;
  attrs.set("axis", importer.attr_int("axis", 0));
  importer.emit("Concat", inputs, attrs);
}

void import_pad(OnnxImporter& importer) {
  if (importer.attr_string("mode", "constant") != "constant") importer.fail("only constant padding is supported");
  Ints pads;
  float value = 0.0f;
  if (importer.opset() < 11) {
    pads = importer.attr_ints("pads", {});
    value = importer.attr_float("value", 0.0f);
  } else {
    pads = int64_values(importer, importer.require_constant(1, "pads"), "pads");
    if (importer.has_input(2)) value = scalar_bound(importer, 2, 0.0f);
    if (importer.has_input(3)) importer.fail("the axes input is not supported");
  }
  Attributes attrs;
  attrs.set("pads", pads);
  attrs.set("value", static_cast<double>(value));
  importer.emit("Pad", {importer.input(0)}, attrs);
}

// Slice of a computed tensor (a constant one is folded at import); its index
// lists become attributes, which the IR's shape rule checks.
void import_slice(OnnxImporter& importer) {
  Attributes attrs;
  if (importer.opset() < 10) {
    attrs.set("starts", importer.attr_ints("starts", {}));
    attrs.set("ends", importer.attr_ints("ends", {}));
    if (importer.has_attribute("axes")) attrs.set("axes", importer.attr_ints("axes", {}));
  } else {
    attrs.set("starts", int64_values(importer, importer.require_constant(1, "starts"), "starts"));
    attrs.set("ends", int64_values(importer, importer.require_constant(2, "ends"), "ends"));
    if (importer.has_input(3)) attrs.set("axes", int64_values(importer, importer.require_constant(3, "axes"), "axes"));
    if (importer.has_input(4)) attrs.set("steps", int64_values(importer, importer.require_constant(4, "steps"), "steps"));
  }
  importer.emit("Slice", {importer.input(0)}, attrs);
}

// Resize / Upsample in nearest mode with source = floor(destination / scale),
// which is PyTorch's nearest interpolation; other modes are refused.
void import_resize(OnnxImporter& importer) {
  require_4d_input(importer);
  const std::string& op = importer.node().op_type();
  if (importer.attr_string("mode", "nearest") != "nearest") {
    importer.fail("mode '" + importer.attr_string("mode", "nearest") + "' is not supported (only nearest)");
  }
  if (op == "Resize" && importer.opset() >= 11) {
    const std::string transform = importer.attr_string("coordinate_transformation_mode", "half_pixel");
    const std::string rounding = importer.attr_string("nearest_mode", "round_prefer_floor");
    if (transform != "asymmetric" || rounding != "floor") {
      importer.fail("coordinate_transformation_mode '" + transform + "' with nearest_mode '" + rounding +
                    "' is not supported (only asymmetric with floor, PyTorch's nearest)");
    }
  }
  const Shape& input = importer.input_shape(0);
  Attributes attrs;
  std::size_t scales_input = op == "Resize" && importer.opset() >= 11 ? 2 : 1;
  std::vector<float> scales;
  if (op == "Upsample" && importer.opset() < 9) {
    scales = importer.attr_floats("scales", {});
  } else if (importer.has_input(scales_input) && importer.require_constant(scales_input, "scales").numel() > 0) {
    const Tensor scales_tensor = importer.require_constant(scales_input, "scales").to_float32();
    scales.assign(scales_tensor.values<float>().begin(), scales_tensor.values<float>().end());
  }
  if (!scales.empty()) {
    if (scales.size() != 4 || scales[0] != 1.0f || scales[1] != 1.0f) {
      importer.fail("only scales [1, 1, s_h, s_w] are supported");
    }
    // Before opset 11 the rounding of a shrinking nearest resize is not
    // specified (ONNX Runtime rounds up there); growing is floor everywhere.
    if ((op == "Upsample" || importer.opset() < 11) && (scales[2] < 1.0f || scales[3] < 1.0f)) {
      importer.fail("scales below 1 are only supported from opset 11 (Resize with nearest_mode floor)");
    }
    attrs.set("scales", std::vector<double>{scales[2], scales[3]});
  } else if (op == "Resize" && importer.has_input(3)) {
    const Ints sizes = int64_values(importer, importer.require_constant(3, "sizes"), "sizes");
    if (sizes.size() != 4 || sizes[0] != input[0] || sizes[1] != input[1]) {
      importer.fail("only sizes that keep N and C are supported");
    }
    attrs.set("sizes", Ints{sizes[2], sizes[3]});
  } else {
    importer.fail("needs scales or sizes");
  }
  importer.emit("Resize", {importer.input(0)}, attrs);
}

void import_identity(OnnxImporter& importer) {
  importer.require_single_output();
  importer.alias_output(0, 0);
}

void import_cast(OnnxImporter& importer) {
  Attributes attrs;
  attrs.set("to", std::string(dtype_name(dtype_from_onnx(static_cast<int>(importer.attr_int("to", 0)), "Cast target"))));
  importer.emit("Cast", {importer.input(0)}, attrs);
}

const NodeImporterRegistration registration({
    {"Conv", import_conv},
    {"BatchNormalization", import_batch_norm},
    {"Relu", import_unary},
    {"Sigmoid", import_unary},
    {"HardSwish", import_unary},
    {"Clip", import_clip},
    {"HardSigmoid", import_hard_sigmoid},
    {"Add", import_binary},
    {"Sub", import_binary},
    {"Mul", import_binary},
    {"Div", import_binary},
    {"MaxPool", import_pool},
    {"AveragePool", import_pool},
    {"GlobalAveragePool", import_global_average_pool},
    {"ReduceMean", import_reduce_mean},
    {"Gemm", import_gemm},
    {"MatMul", import_matmul},
    {"Flatten", import_flatten},
    {"Reshape", import_reshape},
    {"Unsqueeze", import_reshape},
    {"Squeeze", import_reshape},
    {"Transpose", import_transpose},
    {"Concat", import_concat},
    {"Pad", import_pad},
    {"Slice", import_slice},
    {"Resize", import_resize},
    {"Upsample", import_resize},
    {"Identity", import_identity},
    {"Dropout", import_identity},
    {"Cast", import_cast},
    {"ConvInteger", import_conv_integer},
    {"MatMulInteger", import_matmul_integer},
});

}  // namespace
}  // namespace edgeport
