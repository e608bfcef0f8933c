#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/graph.h"

namespace edgeport::quant_test {

std::filesystem::path source_path(const std::string& relative);

// tests/fixtures/quant/vectors.json, parsed (tools/make_quant_vectors.py).
const nlohmann::json& vectors();

// The committed Tiny-LaDeDa checkpoint with the default architecture options,
// built and BatchNorm-folded as it is deployed.
Graph folded_tiny_ladeda();

// Sets one weight of channel 3 of layer1.0.conv2 (element 17 of the channel:
// input channel 1, bottom-right tap) to 8x that channel's largest magnitude:
// a single large weight among small ones. The patch logits depend on it:
// clipping it costs about 35 dB of model SQNR (docs/quantization.md).
// Returns the flat index of the weight in the tensor.
std::int64_t inject_large_weight(Graph& folded);
constexpr const char* kLargeWeightTensor = "layer1.0.conv2.weight";
constexpr int kLargeWeightChannel = 3;
constexpr std::int64_t kLargeWeightOffset = 17;  // within the channel

// The fixture inputs of that checkpoint (randn_256.npy, astronaut_256.npy)
// and PyTorch's outputs for them, from tests/fixtures/models/manifest.json.
struct FixtureCase {
  std::string input_file;
  Tensor input;
  Tensor torch_output;
};
std::vector<FixtureCase> tiny_ladeda_cases();

}  // namespace edgeport::quant_test
