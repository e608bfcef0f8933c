// ONNX Elu <-> IR Elu; alpha is an attribute on both sides (ONNX default 1).
#include "core/ops/elu.h"

#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/import_checks.h"

namespace edgeport {
namespace {

void import_elu(OnnxImporter& importer) {
  require_float_input(importer, 0);
  Attributes attrs;
  attrs.set("alpha", static_cast<double>(importer.attr_float("alpha", 1.0f)));
  importer.emit(op::Elu, {importer.input(0)}, attrs);
}

void write_elu(OnnxEmitter& emitter, const Node& node) {
  onnx::NodeProto& elu =
      emitter.add_node("Elu", node.name, {emitter.tensor(node.inputs.at(0))}, {emitter.output_of(node)});
  set_attribute(elu, "alpha", static_cast<float>(node.attrs.get_float("alpha", 1.0)));
}

const NodeImporterRegistration reader({.onnx_ops = {"Elu"}, .ir_ops = {op::Elu}, .import = import_elu});
const NodeWriterRegistration writer({op::Elu}, write_elu);

}  // namespace
}  // namespace edgeport
