// Activations: ONNX Relu, Sigmoid, HardSwish, Clip to [0, 6] or [0, inf) <->
// IR Relu, Sigmoid, HardSwish, Relu6. Below opset 14 HardSwish is written as
// x * HardSigmoid(x), which binary.cpp reads back as HardSwish.
#include "core/ops/unary.h"

#include <limits>

#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/import_checks.h"

namespace edgeport {
namespace {

// Relu, Sigmoid and HardSwish mean the same in the IR.
void import_same_op(OnnxImporter& importer) {
  require_float_input(importer, 0);
  const std::string& onnx_op = importer.node().op_type();
  const char* ir_op = onnx_op == "Relu" ? op::Relu : onnx_op == "Sigmoid" ? op::Sigmoid : op::HardSwish;
  importer.emit(ir_op, {importer.input(0)});
}

void import_clip(OnnxImporter& importer) {
  const float infinity = std::numeric_limits<float>::infinity();
  const bool bounds_are_attributes = importer.opset() < 11;
  const float low = bounds_are_attributes ? importer.attr_float("min", -infinity)
                                          : scalar_operand(importer, 1, -infinity, "Clip bound");
  const float high = bounds_are_attributes ? importer.attr_float("max", infinity)
                                           : scalar_operand(importer, 2, infinity, "Clip bound");
  if (low == 0.0f && high == 6.0f) {
    importer.emit(op::Relu6, {importer.input(0)});
  } else if (low == 0.0f && high == infinity) {
    importer.emit(op::Relu, {importer.input(0)});
  } else {
    importer.fail("Clip to [" + std::to_string(low) + ", " + std::to_string(high) +
                  "] is not supported (only [0, 6] and [0, inf))");
  }
}

void write_same_op(OnnxEmitter& emitter, const Node& node) { emitter.add_same_op(node); }

void write_relu6(OnnxEmitter& emitter, const Node& node) {
  emitter.add_node("Clip", node.name,
                   {emitter.tensor(node.inputs.at(0)), emitter.float_scalar(0.0f), emitter.float_scalar(6.0f)},
                   {emitter.output_of(node)});
}

void write_hard_swish(OnnxEmitter& emitter, const Node& node) {
  const std::string input = emitter.tensor(node.inputs.at(0));
  if (emitter.opset() >= 14) {
    emitter.add_node("HardSwish", node.name, {input}, {emitter.output_of(node)});
    return;
  }
  // HardSwish arrived in opset 14: x * HardSigmoid(x) with alpha 1/6, beta 1/2
  // is PyTorch's x * relu6(x + 3) / 6.
  const std::string gate = emitter.fresh(node.name + "_gate");
  onnx::NodeProto& sigmoid =
      emitter.add_node("HardSigmoid", emitter.fresh(node.name + "_hard_sigmoid"), {input}, {gate});
  set_attribute(sigmoid, "alpha", 1.0f / 6.0f);
  set_attribute(sigmoid, "beta", 0.5f);
  emitter.add_node("Mul", node.name, {input, gate}, {emitter.output_of(node)});
}

const NodeImporterRegistration same_op_reader({.onnx_ops = {"Relu", "Sigmoid", "HardSwish"},
                                               .ir_ops = {op::Relu, op::Sigmoid, op::HardSwish},
                                               .import = import_same_op});
const NodeImporterRegistration clip_reader({.onnx_ops = {"Clip"},
                                            .ir_ops = {op::Relu6, op::Relu},
                                            .import = import_clip});
const NodeWriterRegistration same_op_writer({op::Relu, op::Sigmoid}, write_same_op);
const NodeWriterRegistration relu6_writer({op::Relu6}, write_relu6);
const NodeWriterRegistration hard_swish_writer({op::HardSwish}, write_hard_swish);

}  // namespace
}  // namespace edgeport
