#pragma once

#include <string>
#include <vector>

#include "pipeline/inputs.h"

namespace edgeport {

// A node output of the float model whose magnitude passes float16's largest
// finite value (65504) on some input.
struct Float16Overflow {
  std::string node;
  std::string input;  // label of the input set where it peaks
  double largest = 0.0;
};

// Runs the float model on every input set, watching every float node output:
// the ones a float16-compute delegate (GPU, NPU) would overflow, worst first.
std::vector<Float16Overflow> find_float16_overflows(const Graph& graph, const std::vector<LabelledInputs>& inputs);

// "fc reaches 261715 (on IMAGE), layer1.0.bn2 ...": at most `limit` nodes.
std::string describe_float16_overflows(const std::vector<Float16Overflow>& overflows, std::size_t limit = 3);

}  // namespace edgeport
