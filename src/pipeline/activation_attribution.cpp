#include "pipeline/activation_attribution.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "core/ops/quantization.h"
#include "passes/graph_edit.h"

namespace edgeport {
namespace {

// The Quantize nodes of activations (not of constants), by index.
std::vector<std::size_t> activation_quantizes(const Graph& graph) {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    const Node& node = graph.nodes[i];
    if (node.op == op::Quantize && !graph.is_constant(node.inputs.at(0))) found.push_back(i);
  }
  return found;
}

// The QDQ graph with every activation's Quantize -> Dequantize pair bypassed
// but `kept`'s (none when kept is the node count).
Graph with_one_activation(const Graph& qdq, const std::vector<std::size_t>& quantizes, std::size_t kept) {
  Graph graph = qdq;
  for (std::size_t index : quantizes) {
    if (index == kept) continue;
    const Node& quantize = graph.nodes[index];
    const int real = quantize.inputs[0];
    for (int reader : graph.consumers(quantize.outputs[0])) {
      const Node& dequantize = graph.nodes[static_cast<std::size_t>(reader)];
      if (dequantize.op == op::Dequantize) replace_uses(graph, dequantize.outputs[0], real);
    }
  }
  graph.compact();
  return graph;
}

// The activation's name: that of the value quantized, or of the graph output
// its Dequantize became (the quantizer renamed the float value then).
std::string activation_name(const Graph& graph, const Node& quantize) {
  for (int reader : graph.consumers(quantize.outputs[0])) {
    const int output = graph.nodes[static_cast<std::size_t>(reader)].outputs[0];
    if (std::find(graph.outputs.begin(), graph.outputs.end(), output) != graph.outputs.end()) {
      return graph.value(output).name;
    }
  }
  return graph.value(quantize.inputs[0]).name;
}

double sqnr_of(const Graph& graph, const std::vector<LabelledInputs>& inputs, const OutputSets& reference) {
  return compare_output_sets(inputs, reference, run_on_input_sets(graph, inputs)).overall.sqnr_db;
}

}  // namespace

std::vector<ActivationShare> attribute_activation_errors(const Graph& qdq, const std::vector<LabelledInputs>& inputs,
                                                         const OutputSets& reference) {
  const std::vector<std::size_t> quantizes = activation_quantizes(qdq);
  std::vector<ActivationShare> rows;
  rows.push_back({"", sqnr_of(with_one_activation(qdq, quantizes, qdq.nodes.size()), inputs, reference)});
  for (std::size_t index : quantizes) {
    const std::string name = activation_name(qdq, qdq.nodes[index]);
    rows.push_back({name, sqnr_of(with_one_activation(qdq, quantizes, index), inputs, reference)});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const ActivationShare& a, const ActivationShare& b) { return a.sqnr_db < b.sqnr_db; });
  return rows;
}

std::string format_activation_attribution(const std::vector<ActivationShare>& rows, double total_sqnr_db) {
  std::ostringstream text;
  text << "where the SQNR goes (" << std::fixed << std::setprecision(2) << total_sqnr_db
       << " dB in all): model SQNR with the int8 weights and one activation quantized, worst first\n";
  for (const ActivationShare& row : rows) {
    text << "  " << std::left << std::setw(32) << (row.activation.empty() ? "(weights alone)" : row.activation)
         << std::right << std::setw(8) << row.sqnr_db << " dB\n";
  }
  return text.str();
}

}  // namespace edgeport
