// The writer on hand-built graphs: every op it lowers runs in LiteRT and
// agrees with our runtime on the same graph; the file's structure follows
// TFLite's conventions.
#include <gtest/gtest.h>

#include "core/error.h"
#include "passes/passes.h"
#include "tflite/schema_generated.h"
#include "runtime/session.h"
#include "support.h"
#include "writer_graphs.h"
#include "tflite/info.h"
#include "tflite/model_view.h"
#include "core/file_io.h"
#include "tflite/reader.h"
#include "tflite/layout.h"
#include "tflite/writer.h"

namespace edgeport {
namespace {

using tflite_test::max_abs;
using tflite_test::writer_layout_graph;
using tflite_test::writer_zoo_graph;
using tflite_test::max_abs_diff;
using tflite_test::random_tensor;
using tflite_test::run_litert;
using tflite_test::scratch_directory;

Tensor run_ours(const Graph& graph, const Tensor& input) {
  RunOptions options;
  return run_graph(graph, input, options);
}

void expect_litert_matches_ours(const Graph& graph, const Tensor& input, const std::string& label) {
  const Tensor expected = run_ours(graph, input);
  const auto directory = scratch_directory(label);
  for (const std::string layout : {"nchw", "nhwc"}) {
    TfliteExportOptions options;
    options.layout = layout;
    const auto path = directory / (label + "_" + layout + ".tflite");
    write_tflite(graph, path, options);
    const Tensor feed = layout == "nchw" ? input : tflite_layout::permute_tensor(input, tflite_layout::nhwc());
    const Tensor actual = run_litert(path, {feed}).front();
    ASSERT_EQ(actual.shape(), expected.shape()) << layout;
    EXPECT_LE(max_abs_diff(actual, expected), 1e-5f * std::max(1.0f, max_abs(expected))) << label << " " << layout;
  }
}

TEST(TfliteWriter, EveryLoweredOpMatchesOurRuntimeInLiteRt) {
  expect_litert_matches_ours(writer_zoo_graph(), random_tensor({1, 3, 20, 20}, 11, 2.0f), "zoo");
}

TEST(TfliteWriter, LayoutConversionsMatchOurRuntimeInLiteRt) {
  expect_litert_matches_ours(writer_layout_graph(), random_tensor({1, 4, 9, 9}, 12, 2.0f), "layout");
}

}  // namespace
}  // namespace edgeport

namespace edgeport {
namespace {

using tflite_test::count_operators;

// A small conv net: NCHW image in, NCHW map out.
Graph conv_graph(bool quantized_weight, bool symmetric) {
  Graph graph;
  const int x = graph.add_input("image", DType::Float32, {1, 3, 8, 8});
  Tensor weight = random_tensor({4, 3, 3, 3}, 21, 0.5f);
  int w;
  if (quantized_weight) {
    Tensor codes(DType::Int8, weight.shape());
    QuantParams quant;
    quant.axis = 0;
    for (int o = 0; o < 4; ++o) {
      quant.scale.push_back(0.004f + 0.001f * static_cast<float>(o));
      quant.zero_point.push_back(symmetric ? 0 : o - 2);
      for (int i = 0; i < 27; ++i) codes.data<std::int8_t>()[o * 27 + i] = static_cast<std::int8_t>((i * 37 + o * 11) % 200 - 100);
    }
    codes.quant = quant;
    const int codes_value = graph.add_constant("conv.weight_quantized", codes);
    w = graph.add("Dequantize", "conv.weight", {codes_value});
  } else {
    w = graph.add_constant("conv.weight", weight);
  }
  const int b = graph.add_constant("conv.bias", random_tensor({4}, 22, 0.1f));
  Attributes attrs;
  attrs.set("pads", std::vector<std::int64_t>{1, 1, 1, 1});
  attrs.set("activation", std::string("relu"));
  graph.mark_output(graph.add("Conv", "heatmap", {x, w, b}, attrs));
  graph.metadata["architecture"] = "test_conv";
  graph.metadata["input_mean"] = "0.485,0.456,0.406";
  graph.metadata["input_std"] = "0.229,0.224,0.225";
  return graph;
}

TEST(TfliteWriter, FileFollowsTfliteConventions) {
  const auto directory = scratch_directory("conventions");
  TfliteExportOptions options;
  options.metadata["source_sha256"] = "ab12";
  options.description = "test model";
  const auto path = directory / "conv.tflite";
  write_tflite(conv_graph(false, true), path, options);
  const std::vector<std::uint8_t> bytes = read_file_bytes(path);
  ASSERT_TRUE(tflite::ModelBufferHasIdentifier(bytes.data()));
  const tflite::Model* model = tflite::GetModel(bytes.data());
  EXPECT_EQ(model->version(), 3u);
  EXPECT_EQ(model->description()->str(), "test model");
  ASSERT_GT(model->buffers()->size(), 1u);
  EXPECT_TRUE(!model->buffers()->Get(0)->data() || model->buffers()->Get(0)->data()->size() == 0);
  for (const tflite::OperatorCode* code : *model->operator_codes()) {
    EXPECT_EQ(static_cast<int>(code->deprecated_builtin_code()), static_cast<int>(code->builtin_code()));
    EXPECT_GE(code->version(), 1);
  }
  // Constant data is 16-byte aligned in the file, so runtimes can map it.
  for (const tflite::Buffer* buffer : *model->buffers()) {
    if (buffer->data() && buffer->data()->size() > 0) {
      EXPECT_EQ((buffer->data()->data() - bytes.data()) % 16, 0);
    }
  }
  ASSERT_EQ(model->signature_defs()->size(), 1u);
  const tflite::SignatureDef* signature = model->signature_defs()->Get(0);
  EXPECT_EQ(signature->signature_key()->str(), "serving_default");
  EXPECT_EQ(signature->inputs()->Get(0)->name()->str(), "image");
  EXPECT_EQ(signature->outputs()->Get(0)->name()->str(), "heatmap");

  const nlohmann::json info = tflite_info(path);
  EXPECT_EQ(info["metadata"]["producer"], std::string("edgeport ") + EDGEPORT_VERSION);
  EXPECT_EQ(info["metadata"]["source_sha256"], "ab12");
  EXPECT_EQ(info["metadata"]["input_mean"], "0.485,0.456,0.406");
  EXPECT_EQ(info["metadata"]["tflite_quantization"], "none");
  EXPECT_EQ(info["inputs"][0]["shape"], nlohmann::json({1, 3, 8, 8}));
  EXPECT_EQ(info["outputs"][0]["shape"], nlohmann::json({1, 4, 8, 8}));
  EXPECT_EQ(count_operators(path, "TRANSPOSE"), 2);
  EXPECT_EQ(count_operators(path, "RELU"), 0) << "the ReLU is fused into CONV_2D";
}

std::map<std::string, int> operator_versions(const std::filesystem::path& path) {
  std::map<std::string, int> versions;
  const nlohmann::json info = tflite_info(path);
  for (const auto& entry : info["operators"]) versions[entry["op"].get<std::string>()] = entry["version"].get<int>();
  return versions;
}

TEST(TfliteWriter, SymmetricWeightsBecomeHybridConvWithPerChannelFilter) {
  const auto path = scratch_directory("hybrid_form") / "conv.tflite";
  TfliteExportOptions options;
  options.quantization = "dynamic";
  options.layout = "nhwc";
  const TfliteExportSummary summary = write_tflite(conv_graph(true, true), path, options);
  EXPECT_EQ(summary.form, "dynamic-range int8 (hybrid ops)");
  EXPECT_EQ(summary.hybrid_ops, 1);
  EXPECT_EQ(summary.transposes, 0);
  EXPECT_EQ(operator_versions(path), (std::map<std::string, int>{{"CONV_2D", 5}}));
  const nlohmann::json info = tflite_info(path);
  ASSERT_EQ(info["quantized_tensors"].size(), 1u);
  const auto& filter = info["quantized_tensors"][0];
  EXPECT_EQ(filter["type"], "INT8");
  EXPECT_EQ(filter["shape"], nlohmann::json({4, 3, 3, 3}));
  EXPECT_EQ(filter["quantization"]["quantized_dimension"], 0);
  EXPECT_EQ(filter["quantization"]["zero_points"], nlohmann::json({0, 0, 0, 0}));
  EXPECT_EQ(info["inputs"][0]["type"], "FLOAT32");
}

TEST(TfliteWriter, AsymmetricWeightsStayBehindDequantize) {
  const auto path = scratch_directory("weight_only_form") / "conv.tflite";
  TfliteExportOptions options;
  options.quantization = "dynamic";
  const Graph graph = conv_graph(true, false);
  const TfliteExportSummary summary = write_tflite(graph, path, options);
  EXPECT_EQ(summary.form, "weight-only int8 (DEQUANTIZE)");
  EXPECT_EQ(summary.hybrid_ops, 0);
  const auto versions = operator_versions(path);
  EXPECT_EQ(versions.at("DEQUANTIZE"), 5) << "int8 per-channel DEQUANTIZE";
  EXPECT_EQ(versions.at("CONV_2D"), 1) << "a float conv";
  const nlohmann::json info = tflite_info(path);
  EXPECT_EQ(info["quantized_tensors"][0]["quantization"]["zero_points"], nlohmann::json({-2, -1, 0, 1}));
  // LiteRT applies the zero points: its output is the float conv of the dequantized weights.
  const Tensor input = random_tensor({1, 3, 8, 8}, 23, 1.0f);
  const Tensor expected = run_graph(graph, input);
  EXPECT_LE(max_abs_diff(run_litert(path, {input}).front(), expected), 1e-5f * std::max(1.0f, max_abs(expected)));
}

TEST(TfliteWriter, Float16WeightsBehindDequantize) {
  const auto path = scratch_directory("float16_form") / "conv.tflite";
  TfliteExportOptions options;
  options.quantization = "float16";
  const TfliteExportSummary summary = write_tflite(conv_graph(false, true), path, options);
  EXPECT_EQ(summary.form, "float16");
  EXPECT_EQ(summary.float16_weights, 2) << "filter and bias";
  EXPECT_EQ(operator_versions(path).at("DEQUANTIZE"), 3);
  bool float16_constant = false;
  const nlohmann::json info = tflite_info(path);
  for (const auto& entry : info["tensors_by_type"]) {
    if (entry["type"] == "FLOAT16") float16_constant = entry["constant_bytes"] == (4 * 27 + 4) * 2;
  }
  EXPECT_TRUE(float16_constant);
}

TEST(TfliteWriter, RefusesMismatchedModesAndUnsupportedOps) {
  const auto directory = scratch_directory("refusals");
  TfliteExportOptions dynamic;
  dynamic.quantization = "dynamic";
  EXPECT_THROW(write_tflite(conv_graph(false, true), directory / "a.tflite", dynamic), Error);
  EXPECT_THROW(write_tflite(conv_graph(true, true), directory / "b.tflite", TfliteExportOptions{}), Error);
  TfliteExportOptions bad_layout;
  bad_layout.layout = "nwhc";
  EXPECT_THROW(write_tflite(conv_graph(false, true), directory / "c.tflite", bad_layout), Error);

  // A hybrid op must not carry zero points: TFLite would silently ignore them.
  Graph graph = conv_graph(true, false);
  mark_hybrid(graph);
  for (Node& node : graph.nodes) {
    if (node.op == "Conv") {
      node.inputs[1] = graph.find_value("conv.weight_quantized");
      node.attrs.set("hybrid", std::int64_t{1});
    }
  }
  graph.compact();
  try {
    write_tflite(graph, directory / "d.tflite", dynamic);
    ADD_FAILURE() << "a hybrid op with zero points was written";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("zero points"), std::string::npos) << error.what();
  }

  // PyTorch's nearest resize of 5 pixels by 1.7 reads source pixel
  // floor(5 / 1.7) = 2 for output 5, TFLite's floor(5 * 5 / 8) = 3.
  Graph resize;
  const int x = resize.add_input("x", DType::Float32, {1, 2, 5, 5});
  Attributes attrs;
  attrs.set("scales", std::vector<double>{1.7, 1.7});
  resize.mark_output(resize.add("Resize", "upscale", {x}, attrs));
  try {
    write_tflite(resize, directory / "e.tflite");
    ADD_FAILURE() << "a resize TFLite cannot express was written";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("'upscale'"), std::string::npos) << error.what();
  }
  for (const char* name : {"a", "b", "c", "d", "e"}) {
    EXPECT_FALSE(std::filesystem::exists(directory / (std::string(name) + ".tflite"))) << name;
  }
  EXPECT_TRUE(std::filesystem::is_empty(directory)) << "no temporary file is left behind";
}

}  // namespace
}  // namespace edgeport
