#pragma once

#include "core/graph.h"

namespace edgeport {

// The graph a session runs when it need not reproduce another runtime's
// rounding: constant subgraphs folded (a weight's Dequantize runs once, not
// per run), BatchNorm folded into convolutions, activations fused, and linear
// convolution pairs merged (see src/passes/). Each rewrite is exact in real
// arithmetic; in float32 the results move by rounding only.
Graph rewrite_for_speed(const Graph& graph);

// The graph a session runs with integer arithmetic (RunOptions::integer):
// the QDQ graph with its patterns lowered to integer ops
// (passes/lower_qdq_to_integer); whatever stays float runs as given.
Graph rewrite_for_integer_arithmetic(const Graph& graph);

// Replaces every node whose inputs are all constants by its outputs, computed
// once with the reference kernels. Returns how many nodes were folded.
int fold_constant_nodes(Graph& graph);

}  // namespace edgeport
