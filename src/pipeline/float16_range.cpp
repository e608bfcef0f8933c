#include "pipeline/float16_range.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "pipeline/watched_run.h"

namespace edgeport {

Float16RangeRun run_checking_float16_range(Graph& graph, const std::vector<LabelledInputs>& inputs) {
  constexpr double kLargestFloat16 = 65504.0;
  std::vector<int> watched;
  std::vector<const Node*> producers;
  for (const Node& node : graph.nodes) {
    for (int output : node.outputs) {
      if (graph.value(output).dtype != DType::Float32) continue;
      watched.push_back(output);
      producers.push_back(&node);
    }
  }
  std::map<std::string, Float16Overflow> worst;
  Float16RangeRun run;
  run.outputs = run_watching_in_place(graph, watched, inputs, [&](std::size_t set, std::span<const Tensor> values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      double largest = 0.0;
      for (float value : values[i].values<float>()) largest = std::max(largest, std::fabs(static_cast<double>(value)));
      if (largest <= kLargestFloat16) continue;
      Float16Overflow& entry = worst[producers[i]->name];
      if (largest > entry.largest) entry = {producers[i]->name, inputs[set].label, largest};
    }
  });
  for (auto& [name, entry] : worst) run.overflows.push_back(entry);
  std::sort(run.overflows.begin(), run.overflows.end(),
            [](const auto& a, const auto& b) { return a.largest > b.largest; });
  return run;
}

std::vector<Float16Overflow> find_float16_overflows(const Graph& graph, const std::vector<LabelledInputs>& inputs) {
  Graph copy = graph;
  return run_checking_float16_range(copy, inputs).overflows;
}

std::string describe_float16_overflows(const std::vector<Float16Overflow>& overflows, std::size_t limit) {
  std::ostringstream text;
  text.precision(6);
  for (std::size_t i = 0; i < overflows.size() && i < limit; ++i) {
    text << (i ? ", " : "") << overflows[i].node << " reaches " << overflows[i].largest << " (on "
         << overflows[i].input << ")";
  }
  if (overflows.size() > limit) text << " and " << overflows.size() - limit << " more";
  return text.str();
}

}  // namespace edgeport
