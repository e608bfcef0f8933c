#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/graph.h"
#include "runtime/session.h"

namespace edgeport::testing {

// Runs one op: `input` is the graph input, `constants` follow it as the
// node's other inputs (std::nullopt for an absent optional input).
inline Tensor run_op(const std::string& op, const Tensor& input, const std::vector<std::optional<Tensor>>& constants = {},
                     const Attributes& attrs = {}, RunOptions options = {}) {
  Graph graph;
  std::vector<int> inputs{graph.add_input("x", input.dtype(), input.shape())};
  for (std::size_t i = 0; i < constants.size(); ++i) {
    inputs.push_back(constants[i] ? graph.add_constant(graph.unique_name("constant"), *constants[i]) : kNoValue);
  }
  graph.mark_output(graph.add(op, "node", inputs, attrs));
  return Session(graph, options).run({input}).front();
}

inline Tensor floats(Shape shape, const std::vector<float>& values) {
  return Tensor::from_vector<float>(std::move(shape), values);
}

// first, first+1, ... in row-major order.
inline Tensor counting(Shape shape, float first = 0.0f) {
  Tensor tensor(DType::Float32, std::move(shape));
  for (float& value : tensor.values<float>()) value = first++;
  return tensor;
}

// Uniform in [low, high), drawn in row-major order from `generator`.
inline Tensor random_uniform(Shape shape, std::mt19937& generator, float low = -1.0f, float high = 1.0f) {
  std::uniform_real_distribution<float> distribution(low, high);
  Tensor tensor(DType::Float32, std::move(shape));
  for (float& value : tensor.values<float>()) value = distribution(generator);
  return tensor;
}

inline std::vector<float> values_of(const Tensor& tensor) {
  const auto span = tensor.values<float>();
  return {span.begin(), span.end()};
}

inline Attributes attributes(std::initializer_list<std::pair<const char*, AttributeValue>> entries) {
  Attributes attrs;
  for (const auto& [name, value] : entries) attrs.set(name, value);
  return attrs;
}

using Ints = std::vector<std::int64_t>;

}  // namespace edgeport::testing
