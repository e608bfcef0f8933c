#include "runtime/session_rewrites.h"

#include "passes/passes.h"
#include "runtime/conv_chain.h"
#include "runtime/conv_library.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

// Folding something that grows (an Expand or Resize of a constant) would
// trade run time for memory; weights never come near this.
constexpr std::int64_t kMaxFoldedElements = std::int64_t{1} << 26;

bool foldable(const Graph& graph, const Node& node) {
  if (node.inputs.empty() || !KernelRegistry::find(node.op)) return false;
  for (int input : node.inputs) {
    if (input != kNoValue && !graph.is_constant(input)) return false;
  }
  for (int output : node.outputs) {
    if (shape_numel(graph.value(output).shape) > kMaxFoldedElements) return false;
  }
  return true;
}

}  // namespace

int fold_constant_nodes(Graph& graph) {
  const RunOptions options{.reference = true};
  std::vector<Node> kept;
  int folded = 0;
  for (Node& node : graph.nodes) {
    if (!foldable(graph, node)) {
      kept.push_back(std::move(node));
      continue;
    }
    KernelContext context{graph, node, {}, {}, options};
    for (int input : node.inputs) context.inputs.push_back(input == kNoValue ? nullptr : &*graph.value(input).constant);
    std::vector<Tensor> outputs;
    outputs.reserve(node.outputs.size());
    for (int output : node.outputs) {
      const Value& declared = graph.value(output);
      outputs.emplace_back(declared.dtype, declared.shape);
      outputs.back().quant = declared.quant;
    }
    for (Tensor& output : outputs) context.outputs.push_back(&output);
    (*KernelRegistry::find(node.op))(context);
    for (std::size_t i = 0; i < outputs.size(); ++i) graph.value(node.outputs[i]).constant = std::move(outputs[i]);
    ++folded;
  }
  graph.nodes = std::move(kept);
  if (folded > 0) graph.compact();
  return folded;
}

Graph rewrite_for_integer_arithmetic(const Graph& graph) {
  Graph rewritten = graph;
  lower_qdq_to_integer(rewritten);
  return rewritten;
}

Graph rewrite_for_speed(const Graph& graph) {
  Graph rewritten = graph;
  fold_constant_nodes(rewritten);
  fold_batch_norm(rewritten);
  fuse_activations(rewritten);
  merge_linear_convs(rewritten);
  // The library's convolutions run channels-last, and so does what lies between them.
  plan_channels_last(rewritten, [](const Graph& graph, const Node& node) {
    return conv_rows_can_run(graph, node) && runs_on_library(ConvGeometry::of(graph, node));
  });
  return rewritten;
}

}  // namespace edgeport
