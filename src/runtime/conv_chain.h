#pragma once

#include <vector>

#include "core/graph.h"
#include "runtime/kernel.h"

namespace edgeport {

// Depth-first execution of a chain of convolutions, each read only by the
// next: the final output is computed row by row, and each row pulls just the
// rows it needs through every earlier convolution, kept in small ring buffers
// (a few rows per layer) instead of whole intermediate tensors. For networks
// with few channels, whose layers are memory-bound one after another, the
// whole chain then runs out of L1/L2, and no intermediate tensor exists.

// Whether the direct row kernels (runtime/conv_rows.h) take this Conv: float32
// input, constant float32 or quantized weight, constant bias, no hybrid
// arithmetic, and few channels (wider ones go to GEMM-class kernels).
bool runs_as_conv_rows(const Graph& graph, const Node& node);
// The same without the channel limit: whether the row kernels can take it at all.
bool conv_rows_can_run(const Graph& graph, const Node& node);

// A prepared Conv's constant weight as float32: a quantized one dequantized.
Tensor conv_float_weight(const Graph& graph, const Node& node);

// Maximal chains (indices into graph.nodes, in order) of Convs that
// runs_as_conv_rows takes, where each conv's output is read only by the next
// and is not a graph output. A lone conv is a chain of one.
std::vector<std::vector<int>> find_conv_chains(const Graph& graph);

// One kernel for a chain: it reads the first conv's input 0 and writes the
// last conv's output. Final output rows are split over options.threads.
Kernel prepare_conv_chain(const Graph& graph, const std::vector<int>& chain, const RunOptions& options);

}  // namespace edgeport
