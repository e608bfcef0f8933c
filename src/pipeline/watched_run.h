#pragma once

#include <functional>
#include <span>
#include <vector>

#include "pipeline/compare_models.h"

namespace edgeport {

// Sees one input set's watched values, in the order they were asked for. They
// are views into the session's arena, good only during the call: a visitor
// that keeps one copies it.
using WatchedValuesVisitor = std::function<void(std::size_t set, std::span<const Tensor> watched)>;

// Runs the graph once per input set (brought to its interface like
// run_on_input_sets) and also keeps the values `watched` (value ids of the
// graph) until `visit` has seen them. Only one set's watched values are held,
// in the session's arena, so a caller reducing them as they come needs no
// more memory than one run. Returns the graph's outputs per set.
OutputSets run_watching(const Graph& graph, const std::vector<int>& watched,
                        const std::vector<LabelledInputs>& inputs, const WatchedValuesVisitor& visit);

// The same without copying the graph (and its weights): the watched values
// are appended to its outputs while it runs, which are restored after.
OutputSets run_watching_in_place(Graph& graph, const std::vector<int>& watched,
                                 const std::vector<LabelledInputs>& inputs, const WatchedValuesVisitor& visit);

}  // namespace edgeport
