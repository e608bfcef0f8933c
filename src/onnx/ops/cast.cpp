// Cast: ONNX Cast <-> IR Cast; on a known input it folds with the IR's kernel.
#include "core/ops/cast.h"

#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/onnx_tensor.h"
#include "onnx/ops/constant_folding.h"

namespace edgeport {
namespace {

void import_cast(OnnxImporter& importer) {
  Attributes attrs;
  attrs.set("to",
            std::string(dtype_name(dtype_from_onnx(static_cast<int>(importer.attr_int("to", 0)), "Cast target"))));
  const Tensor* known = importer.constant_input(0);
  if (known && known->dtype() == DType::Float16) {
    // float16 weights stored with a Cast to float: the runtime reads no
    // float16, and widening to float32 first is exact.
    const Tensor widened = known->to_float32();
    importer.bind_output_constant(0, std::move(run_ir_node(op::Cast, importer.node_name(), {&widened}, attrs).front()));
    return;
  }
  emit_or_fold(importer, op::Cast, {0}, attrs);
}

void write_cast(OnnxEmitter& emitter, const Node& node) {
  set_attribute(emitter.add_node("Cast", node.name, {emitter.tensor(node.inputs.at(0))}, {emitter.output_of(node)}),
                "to", static_cast<std::int64_t>(onnx_dtype(cast_target(node))));
}

const NodeImporterRegistration reader({.onnx_ops = {"Cast"}, .ir_ops = {op::Cast}, .import = import_cast});
const NodeWriterRegistration writer({op::Cast}, write_cast);

}  // namespace
}  // namespace edgeport
