#include <map>
#include <string>

#include "core/ops/binary.h"
#include "core/ops/conv.h"
#include "core/ops/linear.h"
#include "core/ops/unary.h"
#include "passes/graph_edit.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

const std::map<std::string, std::string> kFusedName = {{op::Relu, "relu"}, {op::Relu6, "relu6"}};

bool accepts_activation(const Node& node) {
  return (node.op == op::Conv || node.op == op::Linear || node.op == op::Add) &&
         node.attrs.get_string("activation", "none") == "none";
}

}  // namespace

int fuse_activations(Graph& graph) {
  int fused = 0;
  std::size_t i = 0;
  while (i < graph.nodes.size()) {
    const Node& activation = graph.nodes[i];
    const auto fused_name = kFusedName.find(activation.op);
    const int producer_index = fused_name != kFusedName.end() ? graph.producer(activation.inputs[0]) : -1;
    if (producer_index < 0 || !accepts_activation(graph.nodes[static_cast<std::size_t>(producer_index)]) ||
        !is_sole_reader(graph, activation.inputs[0], static_cast<int>(i))) {
      ++i;
      continue;
    }
    Node& producer = graph.nodes[static_cast<std::size_t>(producer_index)];
    producer.attrs.set("activation", fused_name->second);
    const int producer_output = producer.outputs[0];
    const int activation_output = activation.outputs[0];
    graph.nodes.erase(graph.nodes.begin() + static_cast<std::ptrdiff_t>(i));
    replace_uses(graph, activation_output, producer_output);
    ++fused;
  }
  if (fused > 0) graph.compact();
  return fused;
}

}  // namespace edgeport
