#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "core/graph.h"
#include "runtime/kernel.h"

namespace edgeport {

// Executes a graph. Construction checks the graph and that every op has a
// kernel (an Error names the first node without one), rewrites it for speed
// unless it must reproduce another runtime's rounding (see
// RunOptions::reference), prepares the kernels and plans one activation arena
// by liveness. run() checks the inputs' dtypes and shapes against the graph
// inputs; after the first run it allocates only the returned outputs.
class Session {
 public:
  explicit Session(const Graph& graph, RunOptions options = {});
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  std::vector<Tensor> run(const std::vector<Tensor>& inputs) const;
  // The same, writing into `outputs`, whose tensors are reused when their
  // shapes already match: no allocation at all once warm.
  void run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs) const;
  // The same, handing `visit` the outputs where the run left them, without
  // copying: views into the arena, good only during the call.
  void run_viewing(const std::vector<Tensor>& inputs,
                   const std::function<void(std::span<const Tensor> outputs)>& visit) const;

  // Bytes of the activation arena (every intermediate value of one run).
  std::int64_t arena_bytes() const { return arena_size_; }
  // Whether the session runs the rewritten graph and prepared kernels.
  bool fast() const { return rewritten_.has_value() && options_.integer == IntegerArithmetic::Float; }

 private:
  // One kernel call: a node, or a chain of nodes fused into one kernel.
  struct Step {
    const Node* node = nullptr;
    std::vector<int> reads;
    std::vector<int> writes;
    Kernel prepared;
    const Kernel* plain = nullptr;
  };

  void plan_steps();
  void plan_arena();
  void run_step(std::size_t index) const;
  void check_inputs(const std::vector<Tensor>& inputs) const;
  // Runs every step with the inputs bound; the caller holds `running_`.
  void run_steps(const std::vector<Tensor>& inputs) const;

  const Graph& given_;
  std::optional<Graph> rewritten_;
  const Graph* graph_ = nullptr;
  RunOptions options_;
  std::vector<Step> steps_;
  std::int64_t arena_size_ = 0;

  mutable std::mutex running_;
  mutable std::vector<std::uint8_t> arena_;
  // Per value: the arena view of a computed value, the constant, or (set per
  // run) the caller's input tensor.
  mutable std::vector<Tensor> live_;
  mutable std::vector<const Tensor*> sources_;
  mutable std::vector<KernelContext> contexts_;
};

// Convenience: one float32 input, first output.
Tensor run_graph(const Graph& graph, const Tensor& input, RunOptions options = {});

}  // namespace edgeport
