// ONNX's integer ops, which the IR has as such (see
// src/core/ops/onnx_integer_ops.h): DynamicQuantizeLinear, ConvInteger and
// MatMulInteger, read and written one to one.
#include "core/ops/onnx_integer_ops.h"

#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/window_attributes.h"

namespace edgeport {
namespace {

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
  const Attributes attrs = conv_window_attributes(importer);
  importer.emit(op::ConvInteger, integer_op_inputs(importer), attrs);
}

void import_matmul_integer(OnnxImporter& importer) { importer.emit(op::MatMulInteger, integer_op_inputs(importer)); }

void import_dynamic_quantize(OnnxImporter& importer) {
  if (importer.input_dtype(0) != DType::Float32) importer.fail("only float32 inputs are supported");
  importer.emit(op::DynamicQuantizeLinear, {importer.input(0)});
}

void write_same_op(OnnxEmitter& emitter, const Node& node) { emitter.add_same_op(node); }

void write_conv_integer(OnnxEmitter& emitter, const Node& node) {
  std::vector<std::string> inputs;
  for (int input : node.inputs) inputs.push_back(input == kNoValue ? "" : emitter.tensor(input));
  set_conv_window_attributes(emitter.add_node("ConvInteger", node.name, inputs, {emitter.output_of(node)}), node,
                             emitter.graph().value(node.inputs.at(1)).shape);
}

const NodeImporterRegistration conv_integer_reader({.onnx_ops = {"ConvInteger"},
                                                    .ir_ops = {op::ConvInteger},
                                                    .import = import_conv_integer});
const NodeImporterRegistration matmul_integer_reader({.onnx_ops = {"MatMulInteger"},
                                                      .ir_ops = {op::MatMulInteger},
                                                      .import = import_matmul_integer});
const NodeImporterRegistration dynamic_quantize_reader({.onnx_ops = {"DynamicQuantizeLinear"},
                                                        .ir_ops = {op::DynamicQuantizeLinear},
                                                        .import = import_dynamic_quantize});
const NodeWriterRegistration same_op_writer({op::MatMulInteger, op::DynamicQuantizeLinear}, write_same_op);
const NodeWriterRegistration conv_integer_writer({op::ConvInteger}, write_conv_integer);

}  // namespace
}  // namespace edgeport
