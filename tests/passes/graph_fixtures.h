#pragma once

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/graph.h"
#include "runtime/session.h"

namespace edgeport::testing {

// Passes are judged by the reference kernels on the graph as given: a default
// session would apply its own rewrites (these passes among them) first.
inline const RunOptions kReference{.reference = true};

inline Tensor random_tensor(const Shape& shape, std::mt19937& rng, float low = -1.0f, float high = 1.0f) {
  std::uniform_real_distribution<float> uniform(low, high);
  std::vector<float> values(static_cast<std::size_t>(shape_numel(shape)));
  for (float& value : values) value = uniform(rng);
  return Tensor::from_vector(shape, values);
}

inline std::vector<std::int64_t> ints(std::initializer_list<std::int64_t> values) { return values; }

// A BatchNorm with statistics far from the identity, so a wrong fold shows.
inline int add_batch_norm(Graph& graph, const std::string& name, int x, std::mt19937& rng, double epsilon = 1e-5) {
  const std::int64_t channels = graph.value(x).shape[1];
  const int gamma = graph.add_constant(name + ".weight", random_tensor({channels}, rng, 0.3f, 2.0f));
  const int beta = graph.add_constant(name + ".bias", random_tensor({channels}, rng, -1.0f, 1.0f));
  const int mean = graph.add_constant(name + ".running_mean", random_tensor({channels}, rng, -1.0f, 1.0f));
  const int var = graph.add_constant(name + ".running_var", random_tensor({channels}, rng, 0.1f, 3.0f));
  Attributes attrs;
  attrs.set("epsilon", epsilon);
  return graph.add("BatchNorm", name, {x, gamma, beta, mean, var}, attrs);
}

// NaN sticks in both helpers (a NaN difference or scale fails every bound),
// where std::max would drop it.
inline float max_abs_diff(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) return INFINITY;
  float worst = 0.0f;
  for (std::int64_t i = 0; i < a.numel(); ++i) {
    const float difference = std::fabs(a.data<float>()[i] - b.data<float>()[i]);
    if (!(difference <= worst)) worst = difference;
  }
  return worst;
}

inline float max_abs(const Tensor& a) {
  float largest = 0.0f;
  for (std::int64_t i = 0; i < a.numel(); ++i) {
    const float magnitude = std::fabs(a.data<float>()[i]);
    if (!(magnitude <= largest)) largest = magnitude;
  }
  return largest;
}

inline int count_ops(const Graph& graph, const std::string& op) {
  return static_cast<int>(
      std::count_if(graph.nodes.begin(), graph.nodes.end(), [&op](const Node& node) { return node.op == op; }));
}

inline const Node* find_node(const Graph& graph, const std::string& name) {
  for (const Node& node : graph.nodes) {
    if (node.name == name) return &node;
  }
  return nullptr;
}

}  // namespace edgeport::testing
