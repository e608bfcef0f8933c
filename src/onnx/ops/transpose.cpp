// Transpose: ONNX Transpose <-> IR Transpose; on a known input it folds with
// the IR's kernel.
#include "core/ops/transpose.h"

#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/constant_folding.h"

namespace edgeport {
namespace {

void import_transpose(OnnxImporter& importer) {
  std::vector<std::int64_t> reversed;
  for (std::size_t axis = importer.input_shape(0).size(); axis-- > 0;)
    reversed.push_back(static_cast<std::int64_t>(axis));
  Attributes attrs;
  attrs.set("perm", importer.attr_ints("perm", reversed));
  emit_or_fold(importer, op::Transpose, {0}, attrs);
}

void write_transpose(OnnxEmitter& emitter, const Node& node) {
  set_attribute(
      emitter.add_node("Transpose", node.name, {emitter.tensor(node.inputs.at(0))}, {emitter.output_of(node)}), "perm",
      node.attrs.get_ints("perm"));
}

const NodeImporterRegistration reader({.onnx_ops = {"Transpose"},
                                       .ir_ops = {op::Transpose},
                                       .import = import_transpose});
const NodeWriterRegistration writer({op::Transpose}, write_transpose);

}  // namespace
}  // namespace edgeport
