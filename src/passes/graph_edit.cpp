#include "passes/graph_edit.h"

#include <algorithm>

namespace edgeport {

bool is_sole_reader(const Graph& graph, int value_id, int node_index) {
  if (std::find(graph.outputs.begin(), graph.outputs.end(), value_id) != graph.outputs.end()) return false;
  const std::vector<int> readers = graph.consumers(value_id);
  return readers.size() == 1 && readers.front() == node_index;
}

void replace_uses(Graph& graph, int replaced, int replacement) {
  for (Node& node : graph.nodes) {
    std::replace(node.inputs.begin(), node.inputs.end(), replaced, replacement);
  }
  bool is_output = false;
  for (int& output : graph.outputs) {
    if (output == replaced) {
      output = replacement;
      is_output = true;
    }
  }
  if (is_output) graph.value(replacement).name = graph.value(replaced).name;
}

}  // namespace edgeport
