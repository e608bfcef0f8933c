#include "pipeline/float16_range.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "runtime/session.h"

namespace edgeport {

std::vector<Float16Overflow> find_float16_overflows(const Graph& graph, const std::vector<LabelledInputs>& inputs) {
  constexpr double kLargestFloat16 = 65504.0;
  // Every float node output becomes a graph output so that the session keeps it.
  Graph watched = graph;
  watched.outputs.clear();
  std::vector<const Node*> producers;
  for (const Node& node : graph.nodes) {
    for (int output : node.outputs) {
      if (graph.value(output).dtype != DType::Float32) continue;
      watched.mark_output(output);
      producers.push_back(&node);
    }
  }
  std::map<std::string, Float16Overflow> worst;
  const Session session(watched);
  for (const LabelledInputs& set : inputs) {
    const std::vector<Tensor> values = session.run(set.tensors);
    for (std::size_t i = 0; i < values.size(); ++i) {
      double largest = 0.0;
      for (float value : values[i].values<float>()) largest = std::max(largest, std::fabs(static_cast<double>(value)));
      if (largest <= kLargestFloat16) continue;
      Float16Overflow& entry = worst[producers[i]->name];
      if (largest > entry.largest) entry = {producers[i]->name, set.label, largest};
    }
  }
  std::vector<Float16Overflow> result;
  for (auto& [name, entry] : worst) result.push_back(entry);
  std::sort(result.begin(), result.end(), [](const auto& a, const auto& b) { return a.largest > b.largest; });
  return result;
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
