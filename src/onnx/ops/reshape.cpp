// Shape changes: ONNX Reshape, Unsqueeze, Squeeze <-> IR Reshape and ONNX
// Flatten <-> IR Flatten. On known inputs they fold with the IR's kernel.
#include "core/ops/reshape.h"

#include "onnx/import_shapes.h"
#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/constant_folding.h"

namespace edgeport {
namespace {

void import_flatten(OnnxImporter& importer) {
  Attributes attrs;
  attrs.set("axis", importer.attr_int("axis", 1));
  emit_or_fold(importer, op::Flatten, {0}, attrs);
}

void import_reshape(OnnxImporter& importer) {
  const Shape& input = importer.input_shape(0);
  Shape shape;
  const std::string& onnx_op = importer.node().op_type();
  if (onnx_op == "Reshape") {
    const Tensor& spec = importer.require_constant(1, "Reshape's shape");
    shape =
        reshape_target(importer, input, int64_values(importer, spec, "shape"), importer.attr_int("allowzero", 0) != 0);
  } else if (onnx_op == "Unsqueeze") {
    shape = unsqueezed_shape(importer, input, axes_operand(importer, 13));
  } else {
    shape = squeezed_shape(importer, input, axes_operand(importer, 13));
  }
  Attributes attrs;
  attrs.set("shape", shape);
  emit_or_fold(importer, op::Reshape, {0}, attrs);
}

void write_flatten(OnnxEmitter& emitter, const Node& node) {
  set_attribute(emitter.add_node("Flatten", node.name, {emitter.tensor(node.inputs.at(0))}, {emitter.output_of(node)}),
                "axis", node.attrs.get_int("axis", 1));
}

void write_reshape(OnnxEmitter& emitter, const Node& node) {
  std::vector<std::int64_t> shape = node.attrs.get_ints("shape");
  if (emitter.dynamic_batch()) {
    // The batch extent must follow the input: 0 copies it.
    const Shape& input = emitter.graph().value(node.inputs.at(0)).shape;
    const Shape& output = emitter.graph().value(node.outputs.at(0)).shape;
    if (shape.empty() || input.empty() || output[0] != input[0]) {
      fail_export(node, "reshapes the batch axis, so it cannot take a dynamic batch");
    }
    shape[0] = 0;
  }
  emitter.add_node("Reshape", node.name,
                   {emitter.tensor(node.inputs.at(0)), emitter.int64_vector(node.name + "_shape", shape)},
                   {emitter.output_of(node)});
}

const NodeImporterRegistration flatten_reader({.onnx_ops = {"Flatten"},
                                               .ir_ops = {op::Flatten},
                                               .import = import_flatten});
const NodeImporterRegistration reshape_reader({.onnx_ops = {"Reshape", "Unsqueeze", "Squeeze"},
                                               .ir_ops = {op::Reshape},
                                               .import = import_reshape});
const NodeWriterRegistration flatten_writer({op::Flatten}, write_flatten);
const NodeWriterRegistration reshape_writer({op::Reshape}, write_reshape);

}  // namespace
}  // namespace edgeport
