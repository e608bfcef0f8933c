#pragma once

// The trained sample as the exporters deploy it, and the bundled calibration
// photos prepared for it: what full int8 is judged on.

#include <filesystem>
#include <vector>

#include "pipeline/compare_models.h"
#include "pipeline/inputs.h"
#include "pipeline/model_file.h"

namespace edgeport::static_quant_test {

inline Graph folded_trained_sample() {
  LoadedModel model = load_model(std::filesystem::path(EDGEPORT_SOURCE_DIR) / "models" / "tiny_ladeda_sample.pt");
  fold_model(model.graph);
  return std::move(model.graph);
}

inline std::vector<LabelledInputs> calibration_photos(const Graph& graph) {
  return make_input_sets(graph, calibration_images(std::nullopt, 0), 0, 0);
}

inline std::vector<std::vector<Tensor>> tensors_of(const std::vector<LabelledInputs>& inputs) {
  std::vector<std::vector<Tensor>> sets;
  for (const LabelledInputs& input : inputs) sets.push_back(input.tensors);
  return sets;
}

}  // namespace edgeport::static_quant_test
