// Pad: ONNX Pad in constant mode <-> IR Pad.
#include "core/ops/pad.h"

#include "onnx/import_shapes.h"
#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/import_checks.h"

namespace edgeport {
namespace {

void import_pad(OnnxImporter& importer) {
  if (importer.attr_string("mode", "constant") != "constant") importer.fail("only constant padding is supported");
  std::vector<std::int64_t> pads;
  float value = 0.0f;
  if (importer.opset() < 11) {
    pads = importer.attr_ints("pads", {});
    value = importer.attr_float("value", 0.0f);
  } else {
    pads = int64_values(importer, importer.require_constant(1, "pads"), "pads");
    value = scalar_operand(importer, 2, 0.0f, "Pad's constant_value");
    if (importer.has_input(3)) importer.fail("the axes input is not supported");
  }
  Attributes attrs;
  attrs.set("pads", pads);
  attrs.set("value", static_cast<double>(value));
  importer.emit(op::Pad, {importer.input(0)}, attrs);
}

void write_pad(OnnxEmitter& emitter, const Node& node) {
  const std::string value = emitter.float_scalar(static_cast<float>(node.attrs.get_float("value", 0.0)));
  onnx::NodeProto& pad =
      emitter.add_node("Pad", node.name,
                       {emitter.tensor(node.inputs.at(0)),
                        emitter.int64_vector(node.name + "_pads", node.attrs.get_ints("pads")), value},
                       {emitter.output_of(node)});
  set_attribute(pad, "mode", std::string("constant"));
}

const NodeImporterRegistration reader({.onnx_ops = {"Pad"}, .ir_ops = {op::Pad}, .import = import_pad});
const NodeWriterRegistration writer({op::Pad}, write_pad);

}  // namespace
}  // namespace edgeport
