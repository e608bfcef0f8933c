#include "model_fixtures.h"

#include "core/npy.h"
#include "models/architecture.h"
#include "onnx_test_support.h"
#include "passes/passes.h"
#include "pytorch/state_dict.h"

namespace edgeport::onnx_test {
namespace {

constexpr const char* kMakeLarge = "/usr/bin/python3 tools/make_fixtures.py --large";

std::vector<ModelCase> read_cases(const std::filesystem::path& folder, const nlohmann::json& entry) {
  std::vector<ModelCase> cases;
  for (const nlohmann::json& item : entry.at("cases")) {
    const std::string input = item.at("input").get<std::string>();
    cases.push_back({input, read_npy(folder / input), read_npy(folder / item.at("output").get<std::string>())});
  }
  return cases;
}

std::vector<ModelFixture> fixtures_in(const std::filesystem::path& folder, const std::string& make_command) {
  std::vector<ModelFixture> fixtures;
  for (const nlohmann::json& entry : load_manifest(folder, make_command)) {
    fixtures.push_back({entry.at("checkpoint").get<std::string>(), entry.at("arch").get<std::string>(),
                        read_cases(folder, entry)});
  }
  return fixtures;
}

}  // namespace

std::vector<ModelFixture> tiny_ladeda_fixtures() {
  return fixtures_in(source_path("tests/fixtures/models"), "/usr/bin/python3 tools/make_fixtures.py --small");
}

std::vector<ModelFixture> generated_fixtures() { return fixtures_in(source_path("tests/generated/models"), kMakeLarge); }

Graph deployed_graph(const ModelFixture& fixture) {
  const std::filesystem::path folder = fixture.arch.rfind("tiny_ladeda", 0) == 0 ? source_path("tests/fixtures/models")
                                                                                 : source_path("tests/generated/models");
  Graph graph = build_model(ArchSpec::parse(fixture.arch), load_state_dict(folder / fixture.checkpoint));
  fold_batch_norm(graph);
  fuse_activations(graph);
  return graph;
}

std::vector<TorchExport> torch_exports() {
  const std::filesystem::path folder = source_path("tests/generated/onnx");
  std::vector<TorchExport> exports;
  for (const nlohmann::json& entry : load_manifest(folder, kMakeLarge)) {
    exports.push_back({folder / entry.at("model").get<std::string>(), read_cases(folder, entry)});
  }
  return exports;
}

}  // namespace edgeport::onnx_test
