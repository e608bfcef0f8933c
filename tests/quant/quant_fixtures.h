#pragma once

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

// The fixture inputs of that checkpoint (randn_256.npy, astronaut_256.npy)
// and PyTorch's outputs for them, from tests/fixtures/models/manifest.json.
struct FixtureCase {
  std::string input_file;
  Tensor input;
  Tensor torch_output;
};
std::vector<FixtureCase> tiny_ladeda_cases();

}  // namespace edgeport::quant_test
