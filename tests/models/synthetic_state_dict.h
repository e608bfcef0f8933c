#pragma once

#include <random>
#include <string>
#include <vector>

#include "pytorch/state_dict.h"

namespace edgeport::testing {

inline Tensor random_tensor(const Shape& shape, std::mt19937& rng, float low = -1.0f, float high = 1.0f) {
  std::uniform_real_distribution<float> uniform(low, high);
  std::vector<float> values(static_cast<std::size_t>(shape_numel(shape)));
  for (float& value : values) value = uniform(rng);
  return Tensor::from_vector(shape, values);
}

inline void add_batch_norm(StateDict& state_dict, const std::string& module, std::int64_t channels,
                           std::mt19937& rng) {
  state_dict.entries.emplace_back(module + ".weight", random_tensor({channels}, rng, 0.5f, 1.5f));
  state_dict.entries.emplace_back(module + ".bias", random_tensor({channels}, rng));
  state_dict.entries.emplace_back(module + ".running_mean", random_tensor({channels}, rng));
  state_dict.entries.emplace_back(module + ".running_var", random_tensor({channels}, rng, 0.2f, 2.0f));
  state_dict.entries.emplace_back(module + ".num_batches_tracked", Tensor::from_vector<std::int64_t>({}, {7}));
}

// Tiny-LaDeDa's keys and shapes, written out from the user's PyTorch model
// (tools/tiny_ladeda.py), with random values.
inline StateDict tiny_ladeda_state_dict(unsigned seed = 1) {
  std::mt19937 rng(seed);
  StateDict state_dict;
  state_dict.entries.emplace_back("conv1.weight", random_tensor({8, 3, 1, 1}, rng));
  state_dict.entries.emplace_back("conv2.weight", random_tensor({8, 8, 3, 3}, rng));
  add_batch_norm(state_dict, "bn1", 8, rng);
  state_dict.entries.emplace_back("layer1.0.conv1.weight", random_tensor({8, 8, 1, 1}, rng));
  add_batch_norm(state_dict, "layer1.0.bn1", 8, rng);
  state_dict.entries.emplace_back("layer1.0.conv2.weight", random_tensor({8, 8, 3, 3}, rng));
  add_batch_norm(state_dict, "layer1.0.bn2", 8, rng);
  state_dict.entries.emplace_back("fc.weight", random_tensor({1, 8}, rng));
  state_dict.entries.emplace_back("fc.bias", random_tensor({1}, rng));
  return state_dict;
}

inline Tensor* find_entry(StateDict& state_dict, const std::string& key) {
  for (auto& [name, tensor] : state_dict.entries) {
    if (name == key) return &tensor;
  }
  return nullptr;
}

inline void erase_entry(StateDict& state_dict, const std::string& key) {
  std::erase_if(state_dict.entries, [&key](const auto& entry) { return entry.first == key; });
}

}  // namespace edgeport::testing
