#include "pipeline/calibration_statistics.h"

#include "core/error.h"
#include "quant/quantizer.h"
#include "runtime/session.h"

namespace edgeport {

CalibrationStatistics collect_calibration_statistics(const Graph& graph, const std::vector<LabelledInputs>& inputs) {
  if (inputs.empty()) throw Error("calibration statistics need at least one input");
  // Each layer's input becomes a graph output so that the session keeps it.
  Graph watched = graph;
  watched.outputs.clear();
  std::vector<const Node*> layers;
  std::vector<LayerStatisticsAccumulator> accumulators;
  for (const std::string& name : weight_layers(graph)) {
    for (const Node& node : graph.nodes) {
      if (node.name != name) continue;
      layers.push_back(&node);
      accumulators.emplace_back(graph, node);
      watched.mark_output(node.inputs[0]);
    }
  }
  const Session session(watched);
  for (const LabelledInputs& set : inputs) {
    const std::vector<Tensor> activations = session.run(set.tensors);
    for (std::size_t i = 0; i < accumulators.size(); ++i) accumulators[i].add(activations[i]);
  }
  CalibrationStatistics statistics;
  for (std::size_t i = 0; i < accumulators.size(); ++i) statistics.emplace(layers[i]->name, accumulators[i].finish());
  return statistics;
}

}  // namespace edgeport
