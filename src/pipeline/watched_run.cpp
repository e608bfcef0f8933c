#include "pipeline/watched_run.h"

#include "runtime/session.h"

namespace edgeport {

OutputSets run_watching(const Graph& graph, const std::vector<int>& watched,
                        const std::vector<LabelledInputs>& inputs, const WatchedValuesVisitor& visit) {
  // The watched values become extra graph outputs so that the session keeps them.
  Graph watching = graph;
  for (int value : watched) watching.mark_output(value);
  const std::size_t model_outputs = graph.outputs.size();
  const Session session(watching);
  OutputSets outputs;
  outputs.reserve(inputs.size());
  for (std::size_t set = 0; set < inputs.size(); ++set) {
    std::vector<Tensor> values = session.run(interface_inputs(graph, inputs[set]));
    visit(set, std::span<Tensor>(values).subspan(model_outputs));
    values.resize(model_outputs);
    outputs.push_back(std::move(values));
  }
  return outputs;
}

}  // namespace edgeport
