#pragma once

#include <vector>

#include "core/graph.h"
#include "runtime/kernel.h"

namespace edgeport {

// Executes a graph. Construction checks the graph and that every op has a
// kernel (an Error names the first node without one); run() checks the
// inputs' dtypes and shapes against the graph inputs.
class Session {
 public:
  explicit Session(const Graph& graph, RunOptions options = {});
  std::vector<Tensor> run(const std::vector<Tensor>& inputs) const;
  const Graph& graph() const { return graph_; }

 private:
  const Graph& graph_;
  RunOptions options_;
  std::vector<const Kernel*> kernels_;
  // Per node, the kernel its op's preparer specialised for this session, if any.
  std::vector<Kernel> prepared_;
  // For each node, the values whose last reader it is, freed after it runs.
  std::vector<std::vector<int>> release_after_;
};

// Convenience: one float32 input, first output.
Tensor run_graph(const Graph& graph, const Tensor& input, RunOptions options = {});

}  // namespace edgeport
