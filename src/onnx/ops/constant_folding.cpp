#include "onnx/ops/constant_folding.h"

#include <cstring>

#include "core/error.h"
#include "onnx/onnx_importer.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

constexpr std::int64_t kMaxFoldedElements = std::int64_t{1} << 26;

}  // namespace

std::vector<Tensor> run_ir_node(const std::string& op, const std::string& name,
                                const std::vector<const Tensor*>& inputs, Attributes attrs) {
  Graph graph;
  std::vector<int> input_ids;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    input_ids.push_back(graph.add_input(name + "_input_" + std::to_string(i), inputs[i]->dtype(), inputs[i]->shape()));
  }
  const std::vector<int> output_ids = graph.add_node(op, name, input_ids, std::move(attrs));
  const Kernel* kernel = KernelRegistry::find(op);
  if (!kernel) throw Error("node '" + name + "' (" + op + "): the runtime has no kernel to fold it");
  std::vector<Tensor> outputs;
  for (int id : output_ids) outputs.emplace_back(graph.value(id).dtype, graph.value(id).shape);
  const RunOptions options;
  KernelContext context{graph, graph.nodes.back(), inputs, {}, options};
  for (Tensor& output : outputs) context.outputs.push_back(&output);
  (*kernel)(context);
  return outputs;
}

void emit_or_fold(OnnxImporter& importer, const std::string& op, const std::vector<std::size_t>& onnx_inputs,
                  Attributes attrs) {
  if (!importer.all_inputs_constant()) {
    std::vector<int> inputs;
    for (std::size_t index : onnx_inputs) inputs.push_back(importer.input(index));
    importer.emit(op, inputs, std::move(attrs));
    return;
  }
  std::vector<const Tensor*> inputs;
  for (std::size_t index : onnx_inputs) inputs.push_back(importer.constant_input(index));
  std::vector<Tensor> outputs = run_ir_node(op, importer.node_name(), inputs, std::move(attrs));
  for (std::size_t i = 0; i < outputs.size(); ++i) importer.bind_output_constant(i, std::move(outputs[i]));
}

void check_fold_size(const OnnxImporter& importer, const Shape& shape) {
  std::int64_t count = 1;
  for (std::int64_t extent : shape) {
    if (extent < 0) importer.fail("negative extent in shape " + shape_to_string(shape));
    if (extent > 0 && count > kMaxFoldedElements / extent) {
      importer.fail("folded shape " + shape_to_string(shape) + " is too large");
    }
    count *= extent;
  }
}

void copy_element(const Tensor& source, std::int64_t from, Tensor& target, std::int64_t to) {
  const std::size_t size = dtype_size(source.dtype());
  std::memcpy(target.raw() + static_cast<std::size_t>(to) * size, source.raw() + static_cast<std::size_t>(from) * size,
              size);
}

}  // namespace edgeport
