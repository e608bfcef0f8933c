#include <gtest/gtest.h>

#include <random>

#include "quant/report.h"

namespace edgeport {
namespace {

// One conv whose channel 1 holds a single large weight, so the guard speaks.
QuantizationResult sample_result(const QuantConfig& config) {
  std::mt19937 generator(3);
  std::normal_distribution<float> normal(0.0f, 0.05f);
  Tensor weights(DType::Float32, {3, 2, 3, 3});
  for (float& value : weights.values<float>()) value = normal(generator);
  weights.data<float>()[18 + 4] = 2.5f;
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 5, 5});
  const int w = graph.add_constant("conv.weight", weights);
  const int b = graph.add_constant("conv.bias", Tensor(DType::Float32, {3}));
  const int filter = graph.add_constant("preprocess.weight", Tensor(DType::Float32, {3, 3, 1, 1}));
  Attributes frozen;
  frozen.set("frozen", std::int64_t{1});
  const int y = graph.add("Conv", "conv", {x, w, b});
  graph.mark_output(graph.add("Conv", "preprocess", {y, filter}, frozen));
  return quantize_graph(graph, config);
}

ModelLevelComparison sample_comparison() {
  ModelLevelComparison model;
  ModelComparison one{0.01, 0.002, 41.5, 0.99996, 100};
  model.per_input = {{"randn_256.npy", one}, {"seed 7", one}};
  model.overall = one;
  return model;
}

TEST(QuantReport, TextNamesConfigurationTensorsGuardAndModelFigures) {
  const std::string text = format_report(sample_result(QuantConfig{}), sample_comparison());
  for (const char* expected : {"bits: 8",
                               "symmetric: no",
                               "widened to include 0",
                               "per-channel: yes",
                               "percentile 99.9",
                               "half to even",
                               "conv.weight (layer conv, shape [3,2,3,3], per channel along axis 0, 3 channels)",
                               "scale min/max/mean",
                               "zero points: [",
                               "clip: ",
                               " to ",
                               "guard: clipping would raise the reconstruction MSE",
                               "kept the full range of channels [",
                               "SQNR",
                               "max abs error",
                               "216 B -> 69 B",
                               "preprocess.weight",
                               "frozen preprocessing filter",
                               "randn_256.npy",
                               "seed 7",
                               "41.50 dB",
                               "overall"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing '" << expected << "' in\n" << text;
  }
}

TEST(QuantReport, TextSaysWhenClippingIsOff) {
  QuantConfig config;
  config.clip = ClipMethod::None;
  config.symmetric = true;
  const std::string text = format_report(sample_result(config));
  EXPECT_NE(text.find("clipping: none"), std::string::npos) << text;
  EXPECT_NE(text.find("clip: off"), std::string::npos) << text;
  EXPECT_NE(text.find("scale = absmax / 127"), std::string::npos) << text;
  EXPECT_EQ(text.find("Model level"), std::string::npos);
}

TEST(QuantReport, JsonHasOneObjectPerTensorWithTheRequiredFields) {
  const QuantizationResult result = sample_result(QuantConfig{});
  const nlohmann::json report = report_json(result, sample_comparison());
  EXPECT_EQ(report.at("config").at("bits"), 8);
  EXPECT_EQ(report.at("config").at("clip"), "percentile");
  EXPECT_EQ(report.at("config").at("rounding"), "half_to_even");
  ASSERT_EQ(report.at("tensors").size(), 1u);
  const nlohmann::json& tensor = report.at("tensors")[0];
  EXPECT_EQ(tensor.at("name"), "conv.weight");
  EXPECT_EQ(tensor.at("shape"), (std::vector<std::int64_t>{3, 2, 3, 3}));
  EXPECT_EQ(tensor.at("axis"), 0);
  EXPECT_EQ(tensor.at("scale").size(), 3u);
  EXPECT_EQ(tensor.at("zero_point").size(), 3u);
  EXPECT_TRUE(tensor.at("clip_value").is_array());
  EXPECT_EQ(tensor.at("clip_rejected")[1], true);
  EXPECT_EQ(tensor.at("clip_applied")[1], false);
  EXPECT_TRUE(tensor.at("sqnr_db").is_number());
  EXPECT_EQ(tensor.at("scale")[0].get<float>(), result.tensors[0].scale[0]);
  EXPECT_EQ(report.at("skipped")[0].at("reason"), "frozen preprocessing filter");
  EXPECT_EQ(report.at("totals").at("weight_bytes_before"), result.weight_bytes_before());
  EXPECT_EQ(report.at("model").at("inputs").size(), 2u);
  EXPECT_EQ(report.at("model").at("inputs")[0].at("input"), "randn_256.npy");
  EXPECT_DOUBLE_EQ(report.at("model").at("overall").at("sqnr_db").get<double>(), 41.5);
}

TEST(QuantReport, JsonPerTensorFieldsAreScalarsOrNullWhenPerTensor) {
  QuantConfig config;
  config.per_channel = false;
  nlohmann::json tensor = report_json(sample_result(config)).at("tensors")[0];
  EXPECT_TRUE(tensor.at("axis").is_null());
  EXPECT_TRUE(tensor.at("clip_value").is_number());
  EXPECT_TRUE(tensor.at("clip_applied").is_boolean());
  config.clip = ClipMethod::None;
  tensor = report_json(sample_result(config)).at("tensors")[0];
  EXPECT_TRUE(tensor.at("clip_value").is_null());
  EXPECT_EQ(tensor.at("clip_applied"), false);
  EXPECT_TRUE(report_json(sample_result(config)).at("model").is_null());
}

}  // namespace
}  // namespace edgeport
