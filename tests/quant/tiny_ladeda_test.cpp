// The quantizer on the user's model: Tiny-LaDeDa from the committed
// checkpoint, BatchNorm folded, judged on the fixture inputs.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cmath>

#include <filesystem>

#include "eqm/eqm_container.h"
#include "pipeline/compare_models.h"
#include "quant/quantizer.h"
#include "quant_fixtures.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

std::vector<LabelledInputs> fixture_inputs() {
  std::vector<LabelledInputs> inputs;
  for (const quant_test::FixtureCase& item : quant_test::tiny_ladeda_cases())
    inputs.push_back({item.input_file, {item.input}});
  return inputs;
}

TEST(QuantizedTinyLaDeDa, FloatGraphReproducesPyTorch) {
  const Graph folded = quant_test::folded_tiny_ladeda();
  const std::vector<quant_test::FixtureCase> cases = quant_test::tiny_ladeda_cases();
  ASSERT_EQ(cases.size(), 2u);
  for (const quant_test::FixtureCase& item : cases) {
    const ModelComparison comparison = compare_outputs(item.torch_output, run_graph(folded, item.input));
    EXPECT_LT(comparison.max_abs_diff, 1e-4) << item.input_file;
  }
}

TEST(QuantizedTinyLaDeDa, QuantizesEveryLearnedLayerAndKeepsThePreprocessingFilterFloat) {
  const QuantizationResult result = quantize_graph(quant_test::folded_tiny_ladeda(), QuantConfig{});
  std::vector<std::string> names;
  for (const TensorQuantRecord& record : result.tensors) names.push_back(record.name);
  EXPECT_EQ(names, (std::vector<std::string>{"conv1.weight", "conv2.weight", "layer1.0.conv1.weight",
                                             "layer1.0.conv2.weight", "fc.weight"}));
  ASSERT_EQ(result.skipped.size(), 1u);
  EXPECT_EQ(result.skipped[0].name, "preprocess.weight");
}

TEST(QuantizedTinyLaDeDa, DefaultQuantizationKeepsPatchLogitsAbove40Db) {
  const Graph folded = quant_test::folded_tiny_ladeda();
  const QuantizationResult result = quantize_graph(folded, QuantConfig{});
  const ModelLevelComparison model = compare_models(folded, result.graph, fixture_inputs());
  ASSERT_EQ(model.per_input.size(), 2u);
  for (const auto& [label, comparison] : model.per_input) {
    EXPECT_GE(comparison.sqnr_db, 40.0) << label;
    EXPECT_GT(comparison.cosine_similarity, 0.9999) << label;
  }
  // Against PyTorch's own float outputs too.
  for (const quant_test::FixtureCase& item : quant_test::tiny_ladeda_cases()) {
    EXPECT_GE(compare_outputs(item.torch_output, run_graph(result.graph, item.input)).sqnr_db, 40.0) << item.input_file;
  }
}

TEST(QuantizedTinyLaDeDa, GuardKeepsModelSqnrNearUnclippedWithASingleLargeWeight) {
  Graph folded = quant_test::folded_tiny_ladeda();
  const std::int64_t large = quant_test::inject_large_weight(folded);
  const float large_value = folded.constant(folded.find_value(quant_test::kLargeWeightTensor)).data<float>()[large];
  const std::vector<LabelledInputs> inputs = fixture_inputs();

  QuantConfig unclipped;
  unclipped.clip = ClipMethod::None;
  const double reference = compare_models(folded, quantize_graph(folded, unclipped).graph, inputs).overall.sqnr_db;
  const QuantizationResult guarded = quantize_graph(folded, QuantConfig{});
  const double with_guard = compare_models(folded, guarded.graph, inputs).overall.sqnr_db;
  EXPECT_NEAR(with_guard, reference, 1.0);
  const TensorQuantRecord& record = guarded.tensors[3];
  ASSERT_EQ(record.name, quant_test::kLargeWeightTensor);
  EXPECT_TRUE(record.clip_rejected[quant_test::kLargeWeightChannel]);
  const Tensor& codes = guarded.graph.constant(guarded.graph.find_value(record.name + "_quantized"));
  EXPECT_NEAR(codes.dequantized().data<float>()[large], large_value,
              0.5 * record.scale[quant_test::kLargeWeightChannel] * (1 + 1e-6));

  QuantConfig seed_behaviour;
  seed_behaviour.clip_scope = ClipScope::Tensor;
  seed_behaviour.clip_guard = false;
  const double seed = compare_models(folded, quantize_graph(folded, seed_behaviour).graph, inputs).overall.sqnr_db;
  EXPECT_LT(seed, reference - 6.0);
}

TEST(QuantizedTinyLaDeDa, QuantizedContainerRunsIdentically) {
  const QuantizationResult result = quantize_graph(quant_test::folded_tiny_ladeda(), QuantConfig{});
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("edgeport_tiny_ladeda_" + std::to_string(::getpid()) + ".eqm");
  write_container(result.graph, path);
  const Graph restored = read_container(path);
  std::filesystem::remove(path);
  EXPECT_EQ(restored.metadata, result.graph.metadata);
  const Tensor input = quant_test::tiny_ladeda_cases().front().input;
  const ModelComparison comparison = compare_outputs(run_graph(result.graph, input), run_graph(restored, input));
  EXPECT_EQ(comparison.max_abs_diff, 0.0);
}

}  // namespace
}  // namespace edgeport
