#pragma once

#include <string>
#include <vector>

#include "core/graph.h"
#include "pipeline/inputs.h"
#include "quant/compare.h"
#include "runtime/kernel.h"

namespace edgeport {

// Every output of one model, per input set, in the order of the input sets.
using OutputSets = std::vector<std::vector<Tensor>>;

// One input set brought to the graph's interface (NCHW <-> NHWC, see
// layout_adapter.h); an Error naming the set when the counts differ.
std::vector<Tensor> interface_inputs(const Graph& graph, const LabelledInputs& set);

// Runs the graph in our runtime on every input set. Each input is brought to
// the graph's own interface first (NCHW <-> NHWC, see layout_adapter.h), so
// one set of inputs serves a model and its NHWC TFLite twin.
OutputSets run_on_input_sets(const Graph& graph, const std::vector<LabelledInputs>& inputs,
                             const RunOptions& options = {});

// Compares the candidate's outputs with the reference's, per input set and
// over all of them. Candidate outputs are brought to the reference's shapes;
// an Error when the output counts differ or a shape does not match.
ModelLevelComparison compare_output_sets(const std::vector<LabelledInputs>& inputs, const OutputSets& reference,
                                         const OutputSets& candidate);

// The one verifier of `edgeport verify`, export's verify stage and the
// quantizer's model-level figures: both graphs run in our runtime on each
// input set and every output is compared.
ModelLevelComparison compare_models(const Graph& reference, const Graph& candidate,
                                    const std::vector<LabelledInputs>& inputs, const RunOptions& options = {});

std::string format_comparison(const ModelComparison& comparison);

}  // namespace edgeport
