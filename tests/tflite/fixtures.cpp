#include "fixtures.h"

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/npy.h"
#include "models/architecture.h"
#include "passes/passes.h"
#include "pytorch/state_dict.h"

namespace edgeport::tflite_test {

namespace {

std::filesystem::path source(const std::string& relative) { return std::filesystem::path(EDGEPORT_SOURCE_DIR) / relative; }

nlohmann::json manifest(const std::filesystem::path& folder, const std::string& make_command) {
  std::ifstream stream(folder / "manifest.json");
  if (!stream) throw Error((folder / "manifest.json").string() + " is missing; run " + make_command);
  return nlohmann::json::parse(stream);
}

FixtureModel load_fixture(const std::filesystem::path& folder, const nlohmann::json& entry) {
  FixtureModel model;
  const std::filesystem::path checkpoint = folder / entry.at("checkpoint").get<std::string>();
  model.name = checkpoint.stem().string();
  model.arch = entry.at("arch").get<std::string>();
  model.graph = build_model(ArchSpec::parse(model.arch), load_state_dict(checkpoint));
  fold_batch_norm(model.graph);
  fuse_activations(model.graph);
  for (const auto& item : entry.at("cases")) {
    FixtureCase fixture_case;
    const std::filesystem::path input = folder / item.at("input").get<std::string>();
    fixture_case.input_name = input.stem().string();
    fixture_case.input = read_npy(input);
    fixture_case.expected = read_npy(folder / item.at("output").get<std::string>());
    model.cases.push_back(std::move(fixture_case));
  }
  return model;
}

// The first checkpoint of each architecture whose name starts with `prefix`.
std::vector<FixtureModel> load_all(const std::filesystem::path& folder, const std::string& make_command,
                                   const std::string& prefix) {
  std::vector<FixtureModel> models;
  std::set<std::string> architectures;
  for (const auto& entry : manifest(folder, make_command)) {
    const std::string arch = entry.at("arch").get<std::string>();
    if (arch.rfind(prefix, 0) == 0 && architectures.insert(arch).second) models.push_back(load_fixture(folder, entry));
  }
  if (models.empty()) throw Error((folder / "manifest.json").string() + " lists no " + prefix + " model");
  return models;
}

}  // namespace

std::vector<FixtureModel> tiny_ladeda_fixtures() {
  return load_all(source("tests/fixtures/models"), "/usr/bin/python3 tools/make_fixtures.py --small", "tiny_ladeda");
}

FixtureModel tiny_ladeda_fixture(const std::string& name) {
  const std::filesystem::path folder = source("tests/fixtures/models");
  for (const auto& entry : manifest(folder, "/usr/bin/python3 tools/make_fixtures.py --small")) {
    if (std::filesystem::path(entry.at("checkpoint").get<std::string>()).stem() == name) return load_fixture(folder, entry);
  }
  throw Error("tests/fixtures/models/manifest.json has no checkpoint " + name);
}

std::vector<FixtureModel> large_fixtures() {
  return load_all(source("tests/generated/models"), "/usr/bin/python3 tools/make_fixtures.py --large", "");
}

}  // namespace edgeport::tflite_test
