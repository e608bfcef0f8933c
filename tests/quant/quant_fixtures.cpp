#include "quant_fixtures.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/file_io.h"
#include "core/npy.h"
#include "models/architecture.h"
#include "passes/passes.h"
#include "pytorch/state_dict.h"

namespace edgeport::quant_test {

namespace {

constexpr const char* kCheckpoint = "tiny_ladeda_right_diag.pt";

const nlohmann::json& tiny_ladeda_entry() {
  static const nlohmann::json entry = [] {
    const std::vector<std::uint8_t> bytes = read_file_bytes(source_path("tests/fixtures/models/manifest.json"));
    for (const nlohmann::json& candidate : nlohmann::json::parse(bytes.begin(), bytes.end())) {
      if (candidate.at("checkpoint") == kCheckpoint) return candidate;
    }
    throw Error(std::string("tests/fixtures/models/manifest.json has no entry for ") + kCheckpoint);
  }();
  return entry;
}

}  // namespace

std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(EDGEPORT_SOURCE_DIR) / relative;
}

const nlohmann::json& vectors() {
  static const nlohmann::json parsed = [] {
    const std::vector<std::uint8_t> bytes = read_file_bytes(source_path("tests/fixtures/quant/vectors.json"));
    return nlohmann::json::parse(bytes.begin(), bytes.end());
  }();
  return parsed;
}

Graph folded_tiny_ladeda() {
  const nlohmann::json& entry = tiny_ladeda_entry();
  const StateDict state_dict = load_state_dict(source_path("tests/fixtures/models/" + std::string(kCheckpoint)));
  Graph graph = build_model(ArchSpec::parse(entry.at("arch").get<std::string>()), state_dict);
  fold_batch_norm(graph);
  return graph;
}

std::int64_t inject_large_weight(Graph& folded) {
  Tensor& weight = *folded.value(folded.find_value(kLargeWeightTensor)).constant;
  const std::int64_t channel_size = weight.numel() / weight.dim(0);
  const std::int64_t start = kLargeWeightChannel * channel_size;
  float* values = weight.data<float>();
  float absmax = 0.0f;
  for (std::int64_t i = start; i < start + channel_size; ++i) absmax = std::max(absmax, std::fabs(values[i]));
  const std::int64_t index = start + kLargeWeightOffset;
  values[index] = 8.0f * absmax;
  return index;
}

std::vector<FixtureCase> tiny_ladeda_cases() {
  std::vector<FixtureCase> cases;
  for (const nlohmann::json& item : tiny_ladeda_entry().at("cases")) {
    const std::string input = item.at("input").get<std::string>();
    cases.push_back({input, read_npy(source_path("tests/fixtures/models/" + input)),
                     read_npy(source_path("tests/fixtures/models/" + item.at("output").get<std::string>()))});
  }
  return cases;
}

}  // namespace edgeport::quant_test
