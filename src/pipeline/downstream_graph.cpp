#include "pipeline/downstream_graph.h"

#include "core/error.h"

namespace edgeport {

namespace {

class PartBuilder {
 public:
  explicit PartBuilder(const Graph& whole)
      : whole_(whole), part_id_(whole.values.size(), kNoValue), reached_(whole.values.size(), false) {
    result_.graph.metadata = whole.metadata;
  }

  // The part's id of a value a part node reads: a constant is copied, an
  // upstream activation becomes a part input fed from the unchanged run.
  int read(int id) {
    if (id == kNoValue) return kNoValue;
    int& mapped = part_id_.at(static_cast<std::size_t>(id));
    if (mapped != kNoValue) return mapped;
    const Value& value = whole_.value(id);
    result_.graph.values.push_back(value);
    mapped = static_cast<int>(result_.graph.values.size()) - 1;
    if (!value.constant) {
      result_.graph.inputs.push_back(mapped);
      result_.feeds.push_back(id);
    }
    return mapped;
  }

  bool reached(int id) const { return id != kNoValue && reached_.at(static_cast<std::size_t>(id)); }

  void add(Node node) {
    for (int& output : node.outputs) {
      Value value = whole_.value(output);
      value.constant.reset();
      result_.graph.values.push_back(std::move(value));
      reached_.at(static_cast<std::size_t>(output)) = true;
      part_id_.at(static_cast<std::size_t>(output)) = static_cast<int>(result_.graph.values.size()) - 1;
      output = part_id_[static_cast<std::size_t>(output)];
    }
    result_.graph.nodes.push_back(std::move(node));
  }

  int add_constant(const std::string& base, const Tensor& tensor) {
    return result_.graph.add_constant(result_.graph.unique_name(base), tensor);
  }

  DownstreamGraph finish(const std::vector<int>& wanted) {
    for (int id : wanted) {
      if (!reached(id)) {
        result_.output_index.push_back(-1);
        continue;
      }
      result_.graph.mark_output(part_id_.at(static_cast<std::size_t>(id)));
      result_.output_index.push_back(static_cast<int>(result_.graph.outputs.size()) - 1);
    }
    return std::move(result_);
  }

 private:
  const Graph& whole_;
  std::vector<int> part_id_;
  std::vector<bool> reached_;
  DownstreamGraph result_;
};

}  // namespace

DownstreamGraph downstream_graph(const Graph& graph, std::size_t changed,
                                 const std::vector<std::optional<Tensor>>& parameters,
                                 const std::vector<int>& wanted) {
  if (changed >= graph.nodes.size()) {
    throw Error("downstream graph: node " + std::to_string(changed) + " of a graph with " +
                std::to_string(graph.nodes.size()));
  }
  PartBuilder builder(graph);
  Node first = graph.nodes[changed];
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    if (parameters[i] && first.inputs.size() <= i) first.inputs.resize(i + 1, kNoValue);
  }
  for (std::size_t i = 0; i < first.inputs.size(); ++i) {
    const bool replaced = i < parameters.size() && parameters[i].has_value();
    first.inputs[i] = replaced ? builder.add_constant(first.name + "_quantized_parameter", *parameters[i])
                               : builder.read(first.inputs[i]);
  }
  builder.add(std::move(first));
  for (std::size_t n = changed + 1; n < graph.nodes.size(); ++n) {
    Node node = graph.nodes[n];
    bool downstream = false;
    for (int input : node.inputs) downstream = downstream || builder.reached(input);
    if (!downstream) continue;
    for (int& input : node.inputs) input = builder.read(input);
    builder.add(std::move(node));
  }
  return builder.finish(wanted);
}

}  // namespace edgeport
