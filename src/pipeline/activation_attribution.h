#pragma once

#include <string>
#include <vector>

#include "core/graph.h"
#include "pipeline/compare_models.h"

namespace edgeport {

// Where a full-int8 (QDQ) graph loses its accuracy: the model-output SQNR
// against the float graph with the int8 weights and only one activation
// quantized, for each activation, plus the weights alone (name empty). The
// worst rows explain the total; one activation alone below it is the one to
// keep wider or in float.
struct ActivationShare {
  std::string activation;  // the value the Quantize reads; empty: weights alone
  double sqnr_db = 0.0;
};

// Rows sorted from the worst SQNR; `reference` is the float graph's outputs
// on `inputs`.
std::vector<ActivationShare> attribute_activation_errors(const Graph& qdq, const std::vector<LabelledInputs>& inputs,
                                                         const OutputSets& reference);

std::string format_activation_attribution(const std::vector<ActivationShare>& rows, double total_sqnr_db);

}  // namespace edgeport
