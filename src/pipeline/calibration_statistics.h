#pragma once

#include <vector>

#include "pipeline/inputs.h"
#include "quant/layer_statistics.h"

namespace edgeport {

// Runs the float graph on every input set and accumulates, for every Conv and
// Linear whose weight the quantizer may quantize (weight_layers), the
// statistics of its input activations: what quantize_graph's
// calibration-driven methods need. An Error when there are no inputs.
CalibrationStatistics collect_calibration_statistics(const Graph& graph, const std::vector<LabelledInputs>& inputs);

}  // namespace edgeport
