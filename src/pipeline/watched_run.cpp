#include "pipeline/watched_run.h"

#include "core/progress.h"
#include "runtime/session.h"

namespace edgeport {

namespace {

// Restores the graph's own outputs however the run ends.
class WatchedOutputs {
 public:
  WatchedOutputs(Graph& graph, const std::vector<int>& watched) : graph_(graph), outputs_(graph.outputs.size()) {
    for (int value : watched) graph_.mark_output(value);
  }
  ~WatchedOutputs() { graph_.outputs.resize(outputs_); }
  WatchedOutputs(const WatchedOutputs&) = delete;
  WatchedOutputs& operator=(const WatchedOutputs&) = delete;

 private:
  Graph& graph_;
  std::size_t outputs_;
};

}  // namespace

OutputSets run_watching(const Graph& graph, const std::vector<int>& watched,
                        const std::vector<LabelledInputs>& inputs, const WatchedValuesVisitor& visit) {
  Graph copy = graph;
  return run_watching_in_place(copy, watched, inputs, visit);
}

OutputSets run_watching_in_place(Graph& graph, const std::vector<int>& watched,
                                 const std::vector<LabelledInputs>& inputs, const WatchedValuesVisitor& visit) {
  const std::size_t model_outputs = graph.outputs.size();
  // The watched values become extra graph outputs so that the session keeps them.
  const WatchedOutputs watching(graph, watched);
  const Session session(graph);
  ProgressScope progress("inputs", inputs.size());
  OutputSets outputs;
  outputs.reserve(inputs.size());
  for (std::size_t set = 0; set < inputs.size(); ++set) {
    session.run_viewing(interface_inputs(graph, inputs[set]), [&](std::span<const Tensor> values) {
      outputs.emplace_back(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(model_outputs));
      visit(set, values.subspan(model_outputs));
    });
    progress.step();
  }
  return outputs;
}

}  // namespace edgeport
