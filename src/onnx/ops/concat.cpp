// Concat: ONNX Concat <-> IR Concat; on known inputs it folds with the IR's
// kernel.
#include "core/ops/concat.h"

#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/constant_folding.h"

namespace edgeport {
namespace {

void import_concat(OnnxImporter& importer) {
  std::vector<std::size_t> inputs;
  for (int i = 0; i < importer.node().input_size(); ++i) inputs.push_back(static_cast<std::size_t>(i));
  Attributes attrs;
  attrs.set("axis", importer.attr_int("axis", 0));
  emit_or_fold(importer, op::Concat, inputs, attrs);
}

void write_concat(OnnxEmitter& emitter, const Node& node) {
  std::vector<std::string> inputs;
  for (int input : node.inputs) inputs.push_back(emitter.tensor(input));
  set_attribute(emitter.add_node("Concat", node.name, inputs, {emitter.output_of(node)}), "axis",
                node.attrs.get_int("axis"));
}

const NodeImporterRegistration reader({.onnx_ops = {"Concat"}, .ir_ops = {op::Concat}, .import = import_concat});
const NodeWriterRegistration writer({op::Concat}, write_concat);

}  // namespace
}  // namespace edgeport
