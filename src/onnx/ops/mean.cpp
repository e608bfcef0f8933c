// Means: ONNX GlobalAveragePool, ReduceMean <-> IR GlobalAveragePool, Mean.
#include "core/ops/mean.h"

#include "onnx/import_shapes.h"
#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/import_checks.h"

namespace edgeport {
namespace {

void import_global_average_pool(OnnxImporter& importer) {
  require_4d_input(importer);
  importer.emit(op::GlobalAveragePool, {importer.input(0)});
}

void import_reduce_mean(OnnxImporter& importer) {
  std::vector<std::int64_t> axes = importer.opset() < 18 ? importer.attr_ints("axes", {}) : axes_operand(importer, 18);
  if (axes.empty()) {
    for (std::size_t axis = 0; axis < importer.input_shape(0).size(); ++axis)
      axes.push_back(static_cast<std::int64_t>(axis));
  }
  Attributes attrs;
  attrs.set("axes", axes);
  attrs.set("keepdims", importer.attr_int("keepdims", 1));
  importer.emit(op::Mean, {importer.input(0)}, attrs);
}

void write_global_average_pool(OnnxEmitter& emitter, const Node& node) { emitter.add_same_op(node); }

void write_mean(OnnxEmitter& emitter, const Node& node) {
  onnx::NodeProto& reduce =
      emitter.add_node("ReduceMean", node.name, {emitter.tensor(node.inputs.at(0))}, {emitter.output_of(node)});
  set_attribute(reduce, "axes", node.attrs.get_ints("axes"));
  set_attribute(reduce, "keepdims", node.attrs.get_int("keepdims", 1));
}

const NodeImporterRegistration global_average_pool_reader({.onnx_ops = {"GlobalAveragePool"},
                                                           .ir_ops = {op::GlobalAveragePool},
                                                           .import = import_global_average_pool});
const NodeImporterRegistration reduce_mean_reader({.onnx_ops = {"ReduceMean"},
                                                   .ir_ops = {op::Mean},
                                                   .import = import_reduce_mean});
const NodeWriterRegistration global_average_pool_writer({op::GlobalAveragePool}, write_global_average_pool);
const NodeWriterRegistration mean_writer({op::Mean}, write_mean);

}  // namespace
}  // namespace edgeport
