// BatchNorm: ONNX BatchNormalization (inference form) <-> IR BatchNorm.
#include "core/ops/batch_norm.h"

#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"

namespace edgeport {
namespace {

void import_batch_norm(OnnxImporter& importer) {
  if (importer.attr_int("training_mode", 0) != 0) importer.fail("training mode is not supported");
  if (importer.attr_int("spatial", 1) != 1) importer.fail("spatial=0 is not supported");
  importer.require_single_output();
  Attributes attrs;
  attrs.set("epsilon", static_cast<double>(importer.attr_float("epsilon", 1e-5f)));
  std::vector<int> inputs;
  for (std::size_t i = 0; i < 5; ++i) inputs.push_back(importer.input(i));
  importer.emit(op::BatchNorm, inputs, attrs);
}

void write_batch_norm(OnnxEmitter& emitter, const Node& node) {
  std::vector<std::string> inputs;
  for (int input : node.inputs) inputs.push_back(emitter.tensor(input));
  onnx::NodeProto& proto = emitter.add_node("BatchNormalization", node.name, inputs, {emitter.output_of(node)});
  set_attribute(proto, "epsilon", static_cast<float>(node.attrs.get_float("epsilon", 1e-5)));
}

const NodeImporterRegistration reader({.onnx_ops = {"BatchNormalization"},
                                       .ir_ops = {op::BatchNorm},
                                       .import = import_batch_norm});
const NodeWriterRegistration writer({op::BatchNorm}, write_batch_norm);

}  // namespace
}  // namespace edgeport
