// export --quantization int8 on the bundled sample and photos: one QDQ
// quantization written as ONNX and TFLite, each verified by the decisions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.h"
#include "core/input_normalization.h"
#include "eqm/eqm_container.h"
#include "pipeline/export.h"
#include "pipeline/quantize_full_int8.h"
#include "runtime/session.h"
#include "../test_scratch.h"

namespace edgeport {
namespace {

ExportRequest int8_request(const std::string& name) {
  ExportRequest request;
  request.model = bundled_sample_model();
  request.output_dir = testing::fresh_test_folder("pipeline", name) / "out";
  request.quantization = "int8";
  request.quiet = true;
  // Full int8 measures 23.0 dB of map SQNR on these photos (mse ranges);
  // the decisions are the gate that matters.
  request.min_sqnr_db = 19.0;
  return request;
}

const nlohmann::json& artifact(const nlohmann::json& summary, const std::string& file) {
  for (const nlohmann::json& entry : summary.at("artifacts")) {
    if (entry.at("file") == file) return entry;
  }
  throw Error("no artifact " + file);
}

// The default file has int8 ends, as TFLite Micro and the Edge TPU take it;
// LiteRT and ONNX Runtime judge both files, fed through the file's own
// parameters.
TEST(FullInt8Export, WritesAndVerifiesBothFormatsFromOneQuantization) {
  std::ostringstream out;
  ExportRequest request = int8_request("full_int8");
  request.verify_external = true;
  const nlohmann::json summary = export_model(request, out);
  EXPECT_TRUE(summary.at("passed").get<bool>());
  const nlohmann::json& tflite = artifact(summary, "student_model.tflite");
  EXPECT_EQ(tflite.at("form"), "full int8 (int8 interface)");
  const nlohmann::json& litert = tflite.at("verification").at("litert");
  EXPECT_EQ(litert.at("vs_float_model").at("decisions").at("decisions_changed_at_0.5"), 0) << out.str();
  EXPECT_GE(litert.at("vs_float_model").at("sqnr_db").get<double>(), 19.0);
  const nlohmann::json& ours = tflite.at("verification").at("edgeport_runtime");
  EXPECT_GE(ours.at("sqnr_db").get<double>(), 19.0);
  const nlohmann::json& onnx = artifact(summary, "student_model.onnx");
  EXPECT_NEAR(onnx.at("verification").at("edgeport_runtime").at("sqnr_db").get<double>(), ours.at("sqnr_db").get<double>(),
              1e-6)
      << "the same quantization in both formats";
}

TEST(FullInt8Export, FloatInterfaceOnRequest) {
  ExportRequest request = int8_request("full_int8_io");
  request.io_type = "float";
  request.skip_onnx = true;
  std::ostringstream out;
  const nlohmann::json summary = export_model(request, out);
  EXPECT_EQ(artifact(summary, "student_model.tflite").at("form"), "full int8 (float interface)");
}

// Camera bytes in: the normalisation is inside the file, which LiteRT runs on
// the photos' own pixel values with the same verdicts as the float model.
TEST(FullInt8Export, Uint8PixelsWithTheNormalisationFolded) {
  ExportRequest request = int8_request("full_int8_uint8");
  request.io_type = "uint8";
  request.fold_normalization = true;
  request.verify_external = true;
  std::ostringstream out;
  const nlohmann::json summary = export_model(request, out);
  EXPECT_TRUE(summary.at("passed").get<bool>()) << out.str();
  const nlohmann::json& tflite = artifact(summary, "student_model.tflite");
  EXPECT_EQ(tflite.at("form"), "full int8 (uint8 interface)");
  const nlohmann::json& litert = tflite.at("verification").at("litert");
  EXPECT_EQ(litert.at("vs_float_model").at("decisions").at("decisions_changed_at_0.5"), 0) << out.str();
  const nlohmann::json& onnx = artifact(summary, "student_model.onnx").at("verification").at("onnxruntime");
  EXPECT_EQ(onnx.at("vs_float_model").at("decisions").at("decisions_changed_at_0.5"), 0) << out.str();
  const LoadedModel written = load_model(request.output_dir / "student_model.tflite");
  const Value& input = written.graph.value(written.graph.inputs.at(0));
  EXPECT_EQ(input.dtype, DType::UInt8);
  ASSERT_TRUE(input.quant);
  EXPECT_EQ(input.quant->scale, std::vector<float>{1.0f});
  EXPECT_EQ(input.quant->zero_point, std::vector<std::int32_t>{0});
  EXPECT_TRUE(takes_raw_pixels(written.graph));
}

// Full int8 stays near 23 dB on the photos, below the default 30 dB floor;
// --float-layers auto finds the fewest layers to leave in float that reach it
// in LiteRT and ONNX Runtime with every verdict kept. Such a file has a float
// interface and is no longer fully integer.
TEST(FullInt8Export, AutomaticFloatLayersReachTheDefaultFloor) {
  ExportRequest request = int8_request("full_int8_float_layers");
  request.min_sqnr_db = 30.0;
  request.choose_float_layers = true;
  request.verify_external = true;
  std::ostringstream out;
  const nlohmann::json summary = export_model(request, out);
  EXPECT_TRUE(summary.at("passed").get<bool>()) << out.str();
  const nlohmann::json& search = summary.at("configuration").at("quantization").at("float_layer_search");
  EXPECT_TRUE(search.at("met").get<bool>()) << search.dump();
  EXPECT_TRUE(search.at("exhaustive").get<bool>());
  const auto chosen = search.at("float_layers").get<std::vector<std::string>>();
  EXPECT_FALSE(chosen.empty());
  EXPECT_LT(chosen.size(), 5u) << "some convolutions stay int8";
  const nlohmann::json& tflite = artifact(summary, "student_model.tflite");
  EXPECT_EQ(tflite.at("form"), "full int8 (float interface)");
  for (const auto& [file, judge] : {std::pair{"student_model.tflite", "litert"}, std::pair{"student_model.onnx", "onnxruntime"}}) {
    const nlohmann::json& figures = artifact(summary, file).at("verification").at(judge).at("vs_float_model");
    EXPECT_GE(figures.at("sqnr_db").get<double>(), 30.0) << file;
    EXPECT_EQ(figures.at("decisions").at("decisions_changed_at_0.5"), 0) << file;
  }
}

TEST(FullInt8Export, RefusesInterfacesItCannotWrite) {
  std::ostringstream out;
  ExportRequest int16 = int8_request("full_int8_refusals");
  int16.io_type = "int16";
  EXPECT_THROW(export_model(int16, out), ExportFailure);
  ExportRequest dynamic = int8_request("full_int8_refusals_dynamic");
  dynamic.quantization = "dynamic";
  dynamic.io_type = "int8";
  EXPECT_THROW(export_model(dynamic, out), ExportFailure);
  ExportRequest folded_float = int8_request("full_int8_refusals_fold");
  folded_float.quantization = "none";
  folded_float.fold_normalization = true;
  EXPECT_THROW(export_model(folded_float, out), ExportFailure);
}

TEST(FullInt8Quantize, WritesTheQdqGraphThatKeepsTheDecisions) {
  QuantizeRequest request;
  request.model = bundled_sample_model();
  request.random_inputs = 0;
  request.output = testing::fresh_test_folder("pipeline", "full_int8_quantize") / "sample.eqm";
  std::ostringstream out;
  const FullInt8Outcome outcome = quantize_full_int8(request, {}, out);
  EXPECT_EQ(outcome.calibration_sets, 12u);
  EXPECT_EQ(outcome.decisions.changed_at_half, 0u) << out.str();
  EXPECT_GE(outcome.model.overall.sqnr_db, 19.0);
  const Graph read = read_container(*request.output);
  const Tensor input = seeded_random_input(read.value(read.inputs.at(0)).shape, 3);
  const Tensor a = run_graph(read, input);
  const Tensor b = run_graph(outcome.quantization.graph, input);
  EXPECT_TRUE(std::equal(a.values<float>().begin(), a.values<float>().end(), b.values<float>().begin()));
  EXPECT_EQ(outcome.quantization.activations.count("conv1"), 0u) << "conv1 merges into conv2 before quantization";
  // One row per activation plus the weights alone; each alone loses less than all together.
  EXPECT_EQ(outcome.attribution.size(), outcome.quantization.activations.size() + 1);
  for (const ActivationShare& row : outcome.attribution) {
    EXPECT_GT(row.sqnr_db, outcome.model.overall.sqnr_db) << row.activation;
  }
  EXPECT_TRUE(std::is_sorted(outcome.attribution.begin(), outcome.attribution.end(),
                             [](const ActivationShare& a, const ActivationShare& b) { return a.sqnr_db < b.sqnr_db; }));
  request.report = request.output->parent_path() / "report.txt";
  EXPECT_THROW(quantize_full_int8(request, {}, out), Error);
}

// The sample's conv1 (1x1, no bias) feeds conv2 alone: merged, the float
// graph computes the same map up to float rounding, with one conv fewer and
// so one activation fewer to quantize.
TEST(FullInt8Quantize, MergesLinearConvolutionsExactlyBeforeQuantizing) {
  const Graph folded = load_model(bundled_sample_model()).graph;
  const Graph merged = static_quantization_source(folded);
  EXPECT_EQ(merged.nodes.size() + 1, folded.nodes.size());
  const Tensor input = seeded_random_input(folded.value(folded.inputs.at(0)).shape, 5);
  const Tensor expected = run_graph(folded, input, RunOptions{.reference = true});
  const Tensor actual = run_graph(merged, input, RunOptions{.reference = true});
  const auto reference = expected.values<float>();
  const auto values = actual.values<float>();
  ASSERT_EQ(reference.size(), values.size());
  float scale = 0;
  for (float v : reference) scale = std::max(scale, std::abs(v));
  for (std::size_t i = 0; i < values.size(); ++i) ASSERT_NEAR(values[i], reference[i], 1e-5f * scale) << i;
}

}  // namespace
}  // namespace edgeport
