// The ladeda architecture (the authors' teacher model) against real PyTorch:
// checkpoints, inputs and outputs from tools/make_ladeda_fixtures.py in
// tests/generated/ladeda/ (written by scripts/test.sh; the tests skip when it
// is absent), and the authors' published figures, written out here.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/npy.h"
#include "models/architecture.h"
#include "passes/passes.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

namespace fs = std::filesystem;

// Largest |edgeport - PyTorch| allowed, as a fraction of max |PyTorch|: 1e-5,
// or three times PyTorch's own float32 error (against float64) where that is
// larger. Two float32 implementations that sum in other orders each land
// within that error of the exact result, so they can differ by twice it.
constexpr double kRelativeTolerance = 1e-5;
constexpr double kNoiseFactor = 3.0;

const fs::path kFixtures = fs::path(EDGEPORT_SOURCE_DIR) / "tests/generated/ladeda";

#define SKIP_WITHOUT_FIXTURES()                                                                              \
  if (!fs::exists(kFixtures / "manifest.json")) {                                                            \
    GTEST_SKIP() << kFixtures << " has no manifest.json; run /usr/bin/python3 tools/make_ladeda_fixtures.py"; \
  }

const nlohmann::json& manifest() {
  static const nlohmann::json parsed = nlohmann::json::parse(std::ifstream(kFixtures / "manifest.json"));
  return parsed;
}

// Checkpoints are 55-65 MB; each is read once per test executable.
const StateDict& checkpoint(const std::string& name) {
  static std::map<std::string, StateDict> loaded;
  auto found = loaded.find(name);
  if (found == loaded.end()) found = loaded.emplace(name, load_state_dict(kFixtures / name)).first;
  return found->second;
}

const StateDict& variant_checkpoint(int variant) { return checkpoint("ladeda" + std::to_string(variant) + ".pt"); }

// model.parameters(): weights and biases, not running statistics, not the
// fixed preprocessing filter.
std::int64_t parameter_count(const Graph& graph) {
  std::int64_t parameters = 0;
  for (const Value& value : graph.values) {
    if (!value.constant || value.name == "preprocess.weight") continue;
    if (value.name.ends_with(".running_mean") || value.name.ends_with(".running_var")) continue;
    parameters += value.constant->numel();
  }
  return parameters;
}

// max |got - expected| / max |expected|; infinite when either holds NaN or Inf.
double relative_diff(const Tensor& got, const Tensor& expected) {
  double worst = 0.0, scale = 0.0;
  for (std::int64_t i = 0; i < expected.numel(); ++i) {
    const double a = got.data<float>()[i], b = expected.data<float>()[i];
    if (!std::isfinite(a) || !std::isfinite(b)) return INFINITY;
    worst = std::max(worst, std::fabs(a - b));
    scale = std::max(scale, std::fabs(b));
  }
  return scale > 0.0 ? worst / scale : worst;
}

void expect_pytorch_outputs(bool fold) {
  for (const nlohmann::json& model : manifest().at("models")) {
    const std::string arch = model.at("arch").get<std::string>();
    const StateDict& state_dict = checkpoint(model.at("checkpoint").get<std::string>());
    for (const nlohmann::json& test_case : model.at("cases")) {
      const std::string input_name = test_case.at("input").get<std::string>();
      SCOPED_TRACE(arch + " on " + input_name + (fold ? ", BatchNorm folded" : ", unfolded"));
      const Tensor input = read_npy(kFixtures / input_name);
      const Tensor expected = read_npy(kFixtures / test_case.at("output").get<std::string>());
      BuildOptions options;
      options.input_shape = input.shape();
      Graph graph = build_model(ArchSpec::parse(arch), state_dict, options);
      if (fold) {
        EXPECT_EQ(fold_batch_norm(graph), 53) << "every BatchNorm follows its own conv";
      }
      const Tensor got = run_graph(graph, input);
      ASSERT_EQ(got.shape(), expected.shape());
      const double diff = relative_diff(got, expected);
      const double noise = test_case.at("float32_noise").get<double>();
      EXPECT_LE(diff, std::max(kRelativeTolerance, kNoiseFactor * noise));
      std::cout << "[ ladeda ] " << arch << " " << input_name << (fold ? " folded" : " unfolded")
                << ": max abs diff / max |PyTorch| = " << diff << " (PyTorch float32 vs float64: " << noise << ")\n";
    }
  }
}

TEST(LaDeDaFixtures, MatchesPyTorch) {
  SKIP_WITHOUT_FIXTURES();
  expect_pytorch_outputs(false);
}

TEST(LaDeDaFixtures, MatchesPyTorchWithBatchNormFolded) {
  SKIP_WITHOUT_FIXTURES();
  expect_pytorch_outputs(true);
}

// Each variant's conv2 kernel sizes name it; preprocess and pool leave no
// trace, so inference gives their defaults.
TEST(LaDeDaFixtures, InfersTheArchitectureAndVariantFromKeys) {
  SKIP_WITHOUT_FIXTURES();
  for (const nlohmann::json& model : manifest().at("models")) {
    if (!model.at("inferred_arch").get<bool>()) continue;
    const std::string variant = std::to_string(model.at("variant").get<int>());
    const std::optional<ArchSpec> inferred = infer_architecture(checkpoint(model.at("checkpoint").get<std::string>()));
    ASSERT_TRUE(inferred) << "nothing inferred for " << model.at("checkpoint");
    EXPECT_EQ(inferred->to_string(), "ladeda:pool=false,preprocess=NPR,variant=" + variant);
  }
}

// Without a variant option, building reads it off the weights too.
TEST(LaDeDaFixtures, BuildDerivesTheVariant) {
  SKIP_WITHOUT_FIXTURES();
  for (const auto& [variant, extent] : std::map<int, std::int64_t>{{5, 32}, {9, 31}, {17, 30}, {33, 28}}) {
    const Graph graph = build_model(ArchSpec::parse("ladeda"), variant_checkpoint(variant));
    EXPECT_EQ(graph.value(graph.outputs[0]).shape, (Shape{1, 1, extent, extent})) << "LaDeDa" << variant;
  }
}

// The authors' published figures for a 1x3x256x256 input.
TEST(LaDeDaFixtures, PublishedParameterCountAndOutputShapes) {
  SKIP_WITHOUT_FIXTURES();
  EXPECT_EQ(parameter_count(build_model(ArchSpec::parse("ladeda:variant=9"), variant_checkpoint(9))), 13'641'793);
  const std::map<int, std::int64_t> published = {{9, 31}, {33, 28}, {17, 30}, {5, 32}};
  for (const auto& [variant, extent] : published) {
    const Graph graph = build_model(ArchSpec::parse("ladeda:variant=" + std::to_string(variant)),
                                    variant_checkpoint(variant));
    EXPECT_EQ(graph.value(graph.outputs[0]).shape, (Shape{1, 1, extent, extent})) << "LaDeDa" << variant;
  }
}

// Parameter counts and 256x256 output shapes of every variant, as PyTorch
// computed them for the manifest.
TEST(LaDeDaFixtures, ParameterCountsAndShapesMatchPyTorch) {
  SKIP_WITHOUT_FIXTURES();
  for (const nlohmann::json& figures : manifest().at("figures_256")) {
    const int variant = figures.at("variant").get<int>();
    SCOPED_TRACE("LaDeDa" + std::to_string(variant));
    const Graph graph = build_model(ArchSpec::parse("ladeda:variant=" + std::to_string(variant)),
                                    variant_checkpoint(variant));
    EXPECT_EQ(parameter_count(graph), figures.at("parameters").get<std::int64_t>());
    EXPECT_EQ(graph.value(graph.outputs[0]).shape, figures.at("output_shape").get<Shape>());
  }
}

std::string build_error(const std::string& arch, const StateDict& state_dict, const Shape& input = {}) {
  try {
    BuildOptions options;
    options.input_shape = input;
    build_model(ArchSpec::parse(arch), state_dict, options);
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << arch << " built without error";
  return "";
}

// One error lists a missing key, an unexpected key and a wrong shape, like
// load_state_dict(strict=True).
TEST(LaDeDaFixtures, StrictKeyMismatchNamesEveryProblem) {
  SKIP_WITHOUT_FIXTURES();
  StateDict edited = variant_checkpoint(9);
  std::erase_if(edited.entries, [](const auto& entry) { return entry.first == "layer3.0.downsample.1.running_var"; });
  edited.entries.emplace_back("layer4.3.conv1.weight", Tensor(DType::Float32, {512, 2048, 1, 1}));
  for (auto& [key, tensor] : edited.entries) {
    if (key == "fc.weight") tensor = Tensor(DType::Float32, {2, 2048});
  }
  const std::string message = build_error("ladeda", edited);
  EXPECT_NE(message.find("state_dict does not match ladeda"), std::string::npos) << message;
  EXPECT_NE(message.find("missing layer3.0.downsample.1.running_var"), std::string::npos) << message;
  EXPECT_NE(message.find("unexpected layer4.3.conv1.weight"), std::string::npos) << message;
  EXPECT_NE(message.find("shape mismatch fc.weight: expected [1,2048], found [2,2048]"), std::string::npos) << message;
  EXPECT_FALSE(infer_architecture(edited)) << "a checkpoint with extra keys is no known architecture";
}

// LaDeDa9 weights read as LaDeDa5 have the wrong conv2 in layer2.0.
TEST(LaDeDaFixtures, WrongVariantIsAShapeMismatch) {
  SKIP_WITHOUT_FIXTURES();
  const std::string message = build_error("ladeda:variant=5", variant_checkpoint(9));
  EXPECT_NE(message.find("shape mismatch layer2.0.conv2.weight: expected [128,128,1,1], found [128,128,3,3]"),
            std::string::npos)
      << message;
}

TEST(LaDeDaFixtures, InputsBelowTheReceptiveFieldAreRefused) {
  SKIP_WITHOUT_FIXTURES();
  EXPECT_NE(build_error("ladeda:preprocess=raw", variant_checkpoint(9), {1, 3, 8, 8}).find("at least 9"),
            std::string::npos);
  EXPECT_NE(build_error("ladeda", variant_checkpoint(9), {1, 3, 18, 17}).find("needs even H and W"),
            std::string::npos);
  const Graph smallest = build_model(ArchSpec::parse("ladeda:preprocess=raw"), variant_checkpoint(9),
                                     BuildOptions{.input_shape = {1, 3, 9, 9}});
  EXPECT_EQ(smallest.value(smallest.outputs[0]).shape, (Shape{1, 1, 1, 1}));
}

TEST(LaDeDaFixtures, ResidualCropsAreSlicesOfTheShortcut) {
  SKIP_WITHOUT_FIXTURES();
  const Graph graph = build_model(ArchSpec::parse("ladeda"), variant_checkpoint(9));
  std::vector<std::string> crops;
  for (const Node& node : graph.nodes) {
    if (node.op == "Slice") crops.push_back(node.name);
  }
  // Each 3x3 conv2 (layer1.0, layer2.0) shrinks the map; 1x1 ones do not.
  EXPECT_EQ(crops, (std::vector<std::string>{"layer1.0.residual_crop", "layer2.0.residual_crop"}));
}

TEST(LaDeDa, SpecOptionsAreChecked) {
  EXPECT_EQ(ArchSpec::parse("ladeda:variant=33,preprocess=x_grad,pool=true").to_string(),
            "ladeda:pool=true,preprocess=x_grad,variant=33");
  try {
    ArchSpec::parse("ladeda:variant=7");
    FAIL() << "variant=7 accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("variant=7 is not one of 9|5|17|33"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace edgeport
