#pragma once

#include "core/graph.h"

namespace edgeport {

// Whether node_index is the only reader of value_id and the value is not a
// graph output, i.e. whether the value may be rewritten without anyone else
// noticing.
bool is_sole_reader(const Graph& graph, int value_id, int node_index);

// Makes every reader of `replaced` (nodes and graph outputs) read
// `replacement` instead. When `replaced` is a graph output, `replacement`
// takes over its name so the model's interface stays as it was.
void replace_uses(Graph& graph, int replaced, int replacement);

}  // namespace edgeport
