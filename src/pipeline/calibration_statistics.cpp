#include "pipeline/calibration_statistics.h"

#include "core/error.h"
#include "pipeline/watched_run.h"
#include "quant/quantizer.h"

namespace edgeport {

CalibrationStatisticsCollector::CalibrationStatisticsCollector(const Graph& graph) {
  for (const std::string& name : weight_layers(graph)) {
    for (const Node& node : graph.nodes) {
      if (node.name != name) continue;
      layers_.push_back(&node);
      accumulators_.emplace_back(graph, node);
      watched_.push_back(node.inputs[0]);
    }
  }
}

void CalibrationStatisticsCollector::add(std::span<const Tensor> layer_inputs) {
  if (layer_inputs.size() != accumulators_.size()) {
    throw Error("calibration statistics: " + std::to_string(layer_inputs.size()) + " layer inputs for " +
                std::to_string(accumulators_.size()) + " layers");
  }
  for (std::size_t i = 0; i < accumulators_.size(); ++i) accumulators_[i].add(layer_inputs[i]);
  added_ = true;
}

CalibrationStatistics CalibrationStatisticsCollector::finish() {
  if (!added_) throw Error("calibration statistics need at least one input");
  CalibrationStatistics statistics;
  for (std::size_t i = 0; i < accumulators_.size(); ++i) statistics.emplace(layers_[i]->name, accumulators_[i].finish());
  return statistics;
}

CalibrationStatistics collect_calibration_statistics(const Graph& graph, const std::vector<LabelledInputs>& inputs) {
  if (inputs.empty()) throw Error("calibration statistics need at least one input");
  CalibrationStatisticsCollector collector(graph);
  run_watching(graph, collector.watched(), inputs,
               [&](std::size_t, std::span<const Tensor> layer_inputs) { collector.add(layer_inputs); });
  return collector.finish();
}

}  // namespace edgeport
