// End-to-end against real PyTorch: checkpoints from tools/make_fixtures.py,
// read by load_state_dict, built by build_model and run by the runtime must
// reproduce torch's outputs, before and after BatchNorm folding and
// activation fusion.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/npy.h"
#include "models/architecture.h"
#include "passes/passes.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

namespace fs = std::filesystem;

// Float results are judged relative to the output scale (max |expected|),
// as export judges its files: trained detectors give logits of 1e3 to 1e5.
// The absolute term covers the pooled variants' single scalar.
constexpr double kRelativeTolerance = 1e-5;
constexpr double kAbsoluteTolerance = 1e-6;

struct FixtureModel {
  fs::path folder;
  nlohmann::json entry;
};

// The manifests are written by the test command (tools/make_fixtures.py);
// a missing one is a failure, never a skip.
std::vector<FixtureModel> load_manifest(const std::string& relative_folder) {
  const fs::path folder = fs::path(EDGEPORT_SOURCE_DIR) / relative_folder;
  std::ifstream file(folder / "manifest.json");
  if (!file) {
    ADD_FAILURE() << (folder / "manifest.json") << " is missing; run /usr/bin/python3 tools/make_fixtures.py";
    return {};
  }
  std::vector<FixtureModel> models;
  for (const nlohmann::json& entry : nlohmann::json::parse(file)) models.push_back({folder, entry});
  if (models.empty()) ADD_FAILURE() << (folder / "manifest.json") << " lists no models";
  return models;
}

std::vector<FixtureModel> small_models() { return load_manifest("tests/fixtures/models"); }
std::vector<FixtureModel> large_models() { return load_manifest("tests/generated/models"); }

enum class Passes { None, FoldBatchNorm, FoldAndFuse };

std::string describe(Passes passes) {
  switch (passes) {
    case Passes::None: return "unfolded";
    case Passes::FoldBatchNorm: return "BatchNorm folded";
    case Passes::FoldAndFuse: return "BatchNorm folded, activations fused";
  }
  return "";
}

int count_ops(const Graph& graph, const std::string& op) {
  int count = 0;
  for (const Node& node : graph.nodes) count += node.op == op;
  return count;
}

// max |got - expected| / (max |expected| + the absolute term's share), so that
// relative_max_diff <= kRelativeTolerance is max abs diff <= kRelativeTolerance
// * max |expected| + kAbsoluteTolerance; NaN or Inf gives NaN or Inf, which
// fails every bound.
double relative_max_diff(const Tensor& got, const Tensor& expected) {
  double worst = 0.0;
  double scale = 0.0;
  for (std::int64_t i = 0; i < got.numel(); ++i) {
    const double reference = expected.data<float>()[i];
    const double difference = std::fabs(got.data<float>()[i] - reference);
    if (!(difference <= worst)) worst = difference;
    if (!(std::fabs(reference) <= scale)) scale = std::fabs(reference);
  }
  if (!std::isfinite(scale)) return NAN;
  return worst / (scale + kAbsoluteTolerance / kRelativeTolerance);
}

StateDict load_fixture(const FixtureModel& model) {
  return load_state_dict(model.folder / model.entry.at("checkpoint").get<std::string>());
}

Graph build_fixture(const FixtureModel& model, const StateDict& state_dict, const Shape& input_shape) {
  BuildOptions options;
  options.input_shape = input_shape;
  return build_model(ArchSpec::parse(model.entry.at("arch").get<std::string>()), state_dict, options);
}

Graph build_fixture(const FixtureModel& model, const Shape& input_shape) {
  return build_fixture(model, load_fixture(model), input_shape);
}

void apply(Passes passes, Graph& graph) {
  if (passes == Passes::None) return;
  const int batch_norms = count_ops(graph, "BatchNorm");
  ASSERT_GT(batch_norms, 0);
  EXPECT_EQ(fold_batch_norm(graph), batch_norms);
  EXPECT_EQ(count_ops(graph, "BatchNorm"), 0);
  if (passes == Passes::FoldBatchNorm) return;
  const int activations = count_ops(graph, "Relu") + count_ops(graph, "Relu6");
  ASSERT_GT(activations, 0);
  EXPECT_EQ(fuse_activations(graph), activations) << "every activation follows a Conv or an Add";
  EXPECT_EQ(count_ops(graph, "Relu") + count_ops(graph, "Relu6"), 0);
}

void expect_pytorch_outputs(const std::vector<FixtureModel>& models, Passes passes) {
  for (const FixtureModel& model : models) {
    const std::string checkpoint = model.entry.at("checkpoint").get<std::string>();
    for (const nlohmann::json& test_case : model.entry.at("cases")) {
      const std::string input_name = test_case.at("input").get<std::string>();
      SCOPED_TRACE(checkpoint + " on " + input_name + ", " + describe(passes));
      const Tensor input = read_npy(model.folder / input_name);
      const Tensor expected = read_npy(model.folder / test_case.at("output").get<std::string>());
      Graph graph = build_fixture(model, input.shape());
      apply(passes, graph);
      const Tensor got = run_graph(graph, input);
      ASSERT_EQ(got.shape(), expected.shape());
      EXPECT_LE(relative_max_diff(got, expected.to_float32()), kRelativeTolerance);
    }
  }
}

TEST(PyTorchFixtures, TinyLaDeDaMatchesTorch) { expect_pytorch_outputs(small_models(), Passes::None); }
TEST(PyTorchFixtures, TinyLaDeDaMatchesTorchWithBatchNormFolded) {
  expect_pytorch_outputs(small_models(), Passes::FoldBatchNorm);
}
TEST(PyTorchFixtures, TinyLaDeDaMatchesTorchWithActivationsFused) {
  expect_pytorch_outputs(small_models(), Passes::FoldAndFuse);
}
TEST(PyTorchFixtures, TorchvisionModelsMatchTorch) { expect_pytorch_outputs(large_models(), Passes::None); }
TEST(PyTorchFixtures, TorchvisionModelsMatchTorchWithBatchNormFolded) {
  expect_pytorch_outputs(large_models(), Passes::FoldBatchNorm);
}
TEST(PyTorchFixtures, TorchvisionModelsMatchTorchWithActivationsFused) {
  expect_pytorch_outputs(large_models(), Passes::FoldAndFuse);
}

TEST(PyTorchFixtures, TorchvisionModelsTakeOtherInputSizes) {
  for (const FixtureModel& model : large_models()) {
    SCOPED_TRACE(model.entry.at("checkpoint").get<std::string>());
    const StateDict state_dict = load_fixture(model);
    const Graph small = build_fixture(model, state_dict, {2, 3, 1, 1});
    EXPECT_EQ(small.value(small.outputs[0]).shape[0], 2);
    const Graph wide = build_fixture(model, state_dict, {1, 3, 64, 96});
    const Tensor logits = run_graph(wide, Tensor(DType::Float32, {1, 3, 64, 96}));
    EXPECT_EQ(logits.rank(), 2);
    EXPECT_THROW(build_fixture(model, state_dict, {1, 3, 0, 8}), Error);
  }
}

// model.parameters() in torch: every weight and bias, no running statistics;
// Tiny-LaDeDa's fixed filter is not a parameter.
void expect_parameter_counts(const std::vector<FixtureModel>& models) {
  for (const FixtureModel& model : models) {
    SCOPED_TRACE(model.entry.at("checkpoint").get<std::string>());
    const Graph graph = build_fixture(model, {});
    std::int64_t parameters = 0;
    for (const Value& value : graph.values) {
      if (!value.constant || value.name == "preprocess.weight") continue;
      if (value.name.ends_with(".running_mean") || value.name.ends_with(".running_var")) continue;
      parameters += value.constant->numel();
    }
    EXPECT_EQ(parameters, model.entry.at("parameters").get<std::int64_t>());
  }
}

TEST(PyTorchFixtures, ParameterCountsMatchTorch) {
  expect_parameter_counts(small_models());
  expect_parameter_counts(large_models());
}

// When the manifest says the key set alone names the architecture, inference
// must find exactly that spec; otherwise it must not claim the variant.
void expect_inference(const std::vector<FixtureModel>& models) {
  for (const FixtureModel& model : models) {
    const std::string checkpoint = model.entry.at("checkpoint").get<std::string>();
    SCOPED_TRACE(checkpoint);
    const ArchSpec declared = ArchSpec::parse(model.entry.at("arch").get<std::string>());
    const std::optional<ArchSpec> inferred = infer_architecture(load_state_dict(model.folder / checkpoint));
    const bool same = inferred && inferred->name == declared.name && inferred->options == declared.options;
    EXPECT_EQ(same, model.entry.at("inferred_arch").get<bool>())
        << "inferred " << (inferred ? inferred->to_string() : "nothing") << ", declared " << declared.to_string();
  }
}

TEST(PyTorchFixtures, InfersTheArchitectureFromKeys) {
  expect_inference(small_models());
  expect_inference(large_models());
}

}  // namespace
}  // namespace edgeport
