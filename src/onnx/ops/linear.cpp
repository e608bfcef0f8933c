// Linear: ONNX Gemm, and MatMul by a known 2-d weight, <-> IR Linear ([out,
// in] weight, like PyTorch's nn.Linear). MatMul of two computed tensors is IR
// MatMul (matmul.cpp writes it). In the dynamic format a Linear with
// quantized weights becomes MatMulInteger on DynamicQuantizeLinear's codes.
#include "core/ops/linear.h"

#include "core/ops/matmul.h"
#include "core/ops/quantization.h"
#include "core/ops/transpose.h"
#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/dynamic_quantized_form.h"
#include "onnx/ops/import_checks.h"
#include "onnx/quant_tensors.h"

namespace edgeport {
namespace {

const std::vector<std::int64_t> kSwapAxes{1, 0};

// The [out, in] weight of a Linear from the 2-d operand `index`, stored as
// [in, out] when `transpose`. A Dequantize of an integer constant stays one,
// over transposed codes.
int linear_weight(OnnxImporter& importer, std::size_t index, bool transpose, float alpha) {
  if (importer.input_shape(index).size() != 2) importer.fail("the weight must be 2-d");
  if (const Tensor* constant = importer.constant_input(index)) {
    if (constant->dtype() != DType::Float32) importer.fail("the weight must be float32");
    if (!transpose && alpha == 1.0f) return importer.input(index);
    Tensor weight = transpose ? constant->permuted(kSwapAxes) : *constant;
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
    if (dequantize.op == op::Dequantize && graph.is_constant(dequantize.inputs[0])) {
      const Value& codes = graph.value(dequantize.inputs[0]);
      Tensor quantized = *codes.constant;
      if (codes.quant) quantized.quant = codes.quant;
      const int constant = importer.add_constant(codes.name + "_transposed", quantized.permuted(kSwapAxes));
      return importer.emit_helper(op::Dequantize, "weight", {constant});
    }
  }
  Attributes perm;
  perm.set("perm", kSwapAxes);
  return importer.emit_helper(op::Transpose, "weight", {value}, perm);
}

// The bias of a Linear with `outputs` columns from Gemm's C: [out], [1, out]
// or a scalar, times beta.
int linear_bias(OnnxImporter& importer, std::int64_t outputs, float beta) {
  const Tensor& c = importer.require_constant(2, "Gemm's C");
  if (c.dtype() != DType::Float32) importer.fail("C must be float32");
  Tensor bias(DType::Float32, {outputs});
  const bool scalar = c.numel() == 1;
  if (!scalar && c.numel() != outputs) importer.fail("C of shape " + shape_to_string(c.shape()) + " is not a bias");
  if (!scalar && c.rank() == 2 && c.dim(0) != 1)
    importer.fail("C of shape " + shape_to_string(c.shape()) + " is not a bias");
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
  importer.emit(op::Linear, inputs);
}

bool is_known_weight(OnnxImporter& importer, std::size_t index) {
  if (importer.input_shape(index).size() != 2) return false;
  if (importer.constant_input(index)) return true;
  const int producer = importer.graph().producer(importer.input(index));
  return producer >= 0 && importer.graph().nodes[static_cast<std::size_t>(producer)].op == op::Dequantize;
}

void import_matmul(OnnxImporter& importer) {
  require_float_input(importer, 0);
  require_float_input(importer, 1);
  if (is_known_weight(importer, 1) && !importer.input_shape(0).empty()) {
    importer.emit(op::Linear, {importer.input(0), linear_weight(importer, 1, true, 1.0f)});
  } else {
    importer.emit(op::MatMul, {importer.input(0), importer.input(1)});
  }
}

// The [in, out] matrix MatMul needs from a Linear weight [out, in].
std::string transposed_weight(OnnxEmitter& emitter, const Node& node) {
  const int weight = node.inputs.at(1);
  const std::string base = emitter.output_name(weight) + "_transposed";
  if (const std::optional<QuantizedWeight> quantized = emitter.quantized_weight(weight)) {
    // The codes carry their parameters so that a per-channel axis follows the transpose.
    Tensor codes = quantized->codes;
    codes.quant = quantized->params;
    const Tensor transposed = codes.permuted(kSwapAxes);
    return emitter.dequantized(base, transposed, *transposed.quant);
  }
  const Value& value = emitter.graph().value(weight);
  if (value.constant && value.dtype == DType::Float32)
    return emitter.initializer(base, value.constant->permuted(kSwapAxes));
  const std::string output = emitter.fresh(base);
  set_attribute(emitter.add_node("Transpose", emitter.fresh(node.name + "_transpose_weight"),
                                 {emitter.float_tensor(weight)}, {output}),
                "perm", kSwapAxes);
  return output;
}

std::string linear_accumulator(OnnxEmitter& emitter, const Node& node, const QuantizedWeight& weight,
                               const std::vector<std::string>& activation) {
  const Tensor& codes = weight.codes;
  const Tensor transposed = codes.permuted(kSwapAxes);
  const std::string base = emitter.output_name(weight.constant);
  // MatMulInteger takes one zero point per column of b, which ONNX Runtime runs.
  const Tensor zero_point = uniform_zero_point(weight.params)
                                ? code_tensor(codes.dtype(), {}, {weight.params.zero_point.front()})
                                : code_tensor(codes.dtype(), {codes.dim(0)}, weight.params.zero_point);
  const std::string accumulator = emitter.fresh(emitter.output_of(node) + "_int32");
  emitter.add_node("MatMulInteger", node.name + "_quant",
                   {activation[0], emitter.initializer(base + "_transposed", transposed), activation[2],
                    emitter.initializer(base + "_zero_point", zero_point)},
                   {accumulator});
  return cast_to_float(emitter, accumulator, node.name + "_cast");
}

void write_linear(OnnxEmitter& emitter, const Node& node) {
  if (emitter.options().quant_format == "dynamic" && write_dynamic_quantized(emitter, node, {linear_accumulator, 0})) {
    return;
  }
  const bool has_bias = node.inputs.size() > 2 && node.inputs[2] != kNoValue;
  const std::string input = emitter.tensor(node.inputs.at(0));
  const std::string output = emitter.pre_activation_output(node);
  if (emitter.graph().value(node.inputs[0]).shape.size() == 2) {
    std::vector<std::string> inputs{input, emitter.float_tensor(node.inputs[1])};
    if (has_bias) inputs.push_back(emitter.tensor(node.inputs[2]));
    set_attribute(emitter.add_node("Gemm", node.name, inputs, {output}), "transB", std::int64_t{1});
  } else {
    // Gemm is 2-d only; torch.onnx.export writes the same MatMul + Add.
    const std::string product = has_bias ? emitter.fresh(node.name + "_matmul") : output;
    emitter.add_node("MatMul", has_bias ? product : node.name, {input, transposed_weight(emitter, node)}, {product});
    if (has_bias) emitter.add_node("Add", node.name, {product, emitter.tensor(node.inputs[2])}, {output});
  }
  emitter.finish_activation(node, output);
}

const NodeImporterRegistration gemm_reader({.onnx_ops = {"Gemm"},
                                            .ir_ops = {op::Linear, op::Dequantize, op::Transpose},
                                            .import = import_gemm});
const NodeImporterRegistration matmul_reader({.onnx_ops = {"MatMul"},
                                              .ir_ops = {op::Linear, op::MatMul, op::Dequantize, op::Transpose},
                                              .import = import_matmul});
const NodeWriterRegistration writer({op::Linear}, write_linear);

}  // namespace
}  // namespace edgeport
