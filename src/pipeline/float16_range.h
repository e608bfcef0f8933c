#pragma once

#include <string>
#include <vector>

#include "pipeline/compare_models.h"
#include "pipeline/inputs.h"

namespace edgeport {

// A node output of the float model whose magnitude passes float16's largest
// finite value (65504) on some input.
struct Float16Overflow {
  std::string node;
  std::string input;  // label of the input set where it peaks
  double largest = 0.0;
};

struct Float16RangeRun {
  OutputSets outputs;                       // the model's, per input set
  std::vector<Float16Overflow> overflows;  // worst first
};

// Runs the float model on every input set, watching every float node output:
// the ones a float16-compute delegate (GPU, NPU) would overflow, and the
// model's outputs of the same runs, so that nothing runs it again for them.
// The graph's outputs are extended while it runs (see run_watching_in_place).
Float16RangeRun run_checking_float16_range(Graph& graph, const std::vector<LabelledInputs>& inputs);

// The overflows alone.
std::vector<Float16Overflow> find_float16_overflows(const Graph& graph, const std::vector<LabelledInputs>& inputs);

// "fc reaches 261715 (on IMAGE), layer1.0.bn2 ...": at most `limit` nodes.
std::string describe_float16_overflows(const std::vector<Float16Overflow>& overflows, std::size_t limit = 3);

}  // namespace edgeport
