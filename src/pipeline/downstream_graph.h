#pragma once

#include <optional>
#include <vector>

#include "core/graph.h"

namespace edgeport {

// The part of a graph that a change to one node's parameters can reach: that
// node and every node reading, directly or through others, what it computes.
// Every other value keeps what the unchanged graph computes, so running this
// part on those values gives exactly what the changed whole graph would,
// without recomputing everything upstream.
struct DownstreamGraph {
  Graph graph;
  // Value ids of the whole graph that the part reads from upstream, in the
  // order of graph.inputs.
  std::vector<int> feeds;
  // For each value asked for, its index in the part's outputs, or -1 when the
  // change does not reach it (it keeps the unchanged value).
  std::vector<int> output_index;
};

// The part downstream of graph.nodes[changed], that node reading
// `parameters[i]` as its input i where set (an input slot may be added).
// `wanted` are value ids of the whole graph to expose as outputs.
DownstreamGraph downstream_graph(const Graph& graph, std::size_t changed,
                                 const std::vector<std::optional<Tensor>>& parameters,
                                 const std::vector<int>& wanted);

}  // namespace edgeport
