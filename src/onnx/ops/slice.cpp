// Slice: ONNX Slice <-> IR Slice (index lists as attributes, which the IR's
// shape rule checks). On a known input it folds with the IR's kernel.
#include "core/ops/slice.h"

#include <algorithm>

#include "onnx/import_shapes.h"
#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/constant_folding.h"

namespace edgeport {
namespace {

using Ints = std::vector<std::int64_t>;

Ints index_list(OnnxImporter& importer, std::size_t index, const std::string& what) {
  return int64_values(importer, importer.require_constant(index, what), what);
}

void import_slice(OnnxImporter& importer) {
  Attributes attrs;
  if (importer.opset() < 10) {
    attrs.set("starts", importer.attr_ints("starts", {}));
    attrs.set("ends", importer.attr_ints("ends", {}));
    if (importer.has_attribute("axes")) attrs.set("axes", importer.attr_ints("axes", {}));
  } else {
    attrs.set("starts", index_list(importer, 1, "starts"));
    attrs.set("ends", index_list(importer, 2, "ends"));
    if (importer.has_input(3)) attrs.set("axes", index_list(importer, 3, "axes"));
    if (importer.has_input(4)) attrs.set("steps", index_list(importer, 4, "steps"));
  }
  emit_or_fold(importer, op::Slice, {0}, attrs);
}

// Opset 10 moved Slice's index lists from attributes to inputs; edgeport
// writes opset 11 and later.
void write_slice(OnnxEmitter& emitter, const Node& node) {
  const Ints starts = node.attrs.get_ints("starts");
  Ints axes = node.attrs.get_ints("axes", {});
  if (axes.empty()) {
    for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<std::int64_t>(i));
  }
  const auto rank = static_cast<std::int64_t>(emitter.graph().value(node.inputs.at(0)).shape.size());
  if (emitter.dynamic_batch() &&
      std::any_of(axes.begin(), axes.end(), [rank](std::int64_t axis) { return axis == 0 || axis == -rank; })) {
    fail_export(node, "slices the batch axis, so it cannot take a dynamic batch");
  }
  std::vector<std::string> inputs{emitter.tensor(node.inputs.at(0)),
                                  emitter.int64_vector(node.name + "_starts", starts),
                                  emitter.int64_vector(node.name + "_ends", node.attrs.get_ints("ends")),
                                  emitter.int64_vector(node.name + "_axes", axes)};
  if (node.attrs.has("steps"))
    inputs.push_back(emitter.int64_vector(node.name + "_steps", node.attrs.get_ints("steps")));
  emitter.add_node("Slice", node.name, inputs, {emitter.output_of(node)});
}

const NodeImporterRegistration reader({.onnx_ops = {"Slice"}, .ir_ops = {op::Slice}, .import = import_slice});
const NodeWriterRegistration writer({op::Slice}, write_slice);

}  // namespace
}  // namespace edgeport
