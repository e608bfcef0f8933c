// ONNX HardSigmoid <-> IR HardSigmoid; alpha and beta are attributes on both
// sides, with ONNX's defaults. torch.onnx.export writes PyTorch's Hardsigmoid
// with alpha 1/6 only (beta is the default 1/2). The x * HardSigmoid(x) form
// of HardSwish is read in binary.cpp.
#include "core/ops/hard_sigmoid.h"

#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/import_checks.h"

namespace edgeport {
namespace {

void import_hard_sigmoid(OnnxImporter& importer) {
  require_float_input(importer, 0);
  Attributes attrs;
  attrs.set("alpha", static_cast<double>(importer.attr_float("alpha", static_cast<float>(hard_sigmoid::kDefaultAlpha))));
  attrs.set("beta", static_cast<double>(importer.attr_float("beta", static_cast<float>(hard_sigmoid::kDefaultBeta))));
  importer.emit(op::HardSigmoid, {importer.input(0)}, attrs);
}

void write_hard_sigmoid(OnnxEmitter& emitter, const Node& node) {
  onnx::NodeProto& written = emitter.add_node("HardSigmoid", node.name, {emitter.tensor(node.inputs.at(0))},
                                              {emitter.output_of(node)});
  set_attribute(written, "alpha", static_cast<float>(node.attrs.get_float("alpha", hard_sigmoid::kDefaultAlpha)));
  set_attribute(written, "beta", static_cast<float>(node.attrs.get_float("beta", hard_sigmoid::kDefaultBeta)));
}

const NodeImporterRegistration reader({.onnx_ops = {"HardSigmoid"},
                                       .ir_ops = {op::HardSigmoid},
                                       .import = import_hard_sigmoid});
const NodeWriterRegistration writer({op::HardSigmoid}, write_hard_sigmoid);

}  // namespace
}  // namespace edgeport
