#pragma once

#include <span>
#include <vector>

#include "pipeline/inputs.h"
#include "quant/layer_statistics.h"

namespace edgeport {

// Accumulates, for every Conv and Linear whose weight the quantizer may
// quantize (weight_layers), the statistics of its input activations: what
// quantize_graph's calibration-driven methods need. The caller runs the float
// graph watching watched() and hands each run's values to add(), so the run
// can serve other measurements too.
class CalibrationStatisticsCollector {
 public:
  explicit CalibrationStatisticsCollector(const Graph& graph);

  // The layers' input values, in the order add() expects them.
  const std::vector<int>& watched() const { return watched_; }
  void add(std::span<const Tensor> layer_inputs);
  // An Error when nothing was added.
  CalibrationStatistics finish();

 private:
  std::vector<const Node*> layers_;
  std::vector<LayerStatisticsAccumulator> accumulators_;
  std::vector<int> watched_;
  bool added_ = false;
};

// Runs the float graph on every input set and collects the statistics above.
// An Error when there are no inputs.
CalibrationStatistics collect_calibration_statistics(const Graph& graph, const std::vector<LabelledInputs>& inputs);

}  // namespace edgeport
