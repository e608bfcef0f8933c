// Pooling: ONNX MaxPool, AveragePool <-> IR MaxPool, AvgPool.
#include "core/ops/pool.h"

#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/import_checks.h"
#include "onnx/ops/window_attributes.h"

namespace edgeport {
namespace {

using Ints = std::vector<std::int64_t>;

void import_pool(OnnxImporter& importer) {
  require_4d_input(importer);
  importer.require_single_output();
  const bool max_pool = importer.node().op_type() == "MaxPool";
  const Ints kernel = window_ints(importer, "kernel_shape", {});
  const Ints strides = window_ints(importer, "strides", {1, 1});
  const Ints dilations = window_ints(importer, "dilations", {1, 1});
  if (!max_pool && dilations != Ints{1, 1}) importer.fail("dilated average pooling is not supported");
  Attributes attrs;
  attrs.set("kernel", kernel);
  attrs.set("strides", strides);
  attrs.set("pads", window_pads(importer, kernel, strides, dilations));
  attrs.set("ceil_mode", importer.attr_int("ceil_mode", 0));
  if (max_pool) {
    attrs.set("dilations", dilations);
  } else {
    attrs.set("count_include_pad", importer.attr_int("count_include_pad", 0));
  }
  importer.emit(max_pool ? op::MaxPool : op::AvgPool, {importer.input(0)}, attrs);
}

void write_pool(OnnxEmitter& emitter, const Node& node) {
  const bool max_pool = node.op == op::MaxPool;
  onnx::NodeProto& pool = emitter.add_node(max_pool ? "MaxPool" : "AveragePool", node.name,
                                           {emitter.tensor(node.inputs.at(0))}, {emitter.output_of(node)});
  const Ints kernel = node.attrs.get_ints("kernel");
  set_attribute(pool, "kernel_shape", kernel);
  set_attribute(pool, "strides", node.attrs.get_ints("strides", kernel));
  set_attribute(pool, "pads", node.attrs.get_ints("pads", {0, 0, 0, 0}));
  set_attribute(pool, "ceil_mode", node.attrs.get_int("ceil_mode", 0));
  if (max_pool) {
    const Ints dilations = node.attrs.get_ints("dilations", {1, 1});
    if (dilations != Ints{1, 1}) set_attribute(pool, "dilations", dilations);
  } else {
    set_attribute(pool, "count_include_pad", node.attrs.get_int("count_include_pad", 1));
  }
}

const NodeImporterRegistration reader({.onnx_ops = {"MaxPool", "AveragePool"},
                                       .ir_ops = {op::MaxPool, op::AvgPool},
                                       .import = import_pool});
const NodeWriterRegistration writer({op::MaxPool, op::AvgPool}, write_pool);

}  // namespace
}  // namespace edgeport
