#include <gtest/gtest.h>

#include <random>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "quant/compare.h"
#include "quant/quantizer.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

Tensor random_tensor(Shape shape, float stddev, unsigned seed) {
  std::mt19937 generator(seed);
  std::normal_distribution<float> normal(0.0f, stddev);
  Tensor tensor(DType::Float32, std::move(shape));
  for (float& value : tensor.values<float>()) value = normal(generator);
  return tensor;
}

Attributes conv_attrs(std::int64_t group, bool padded, bool frozen = false) {
  Attributes attrs;
  attrs.set("group", group);
  if (padded) attrs.set("pads", std::vector<std::int64_t>{1, 1, 1, 1});
  if (frozen) attrs.set("frozen", std::int64_t{1});
  return attrs;
}

// A fixed depthwise filter, a conv with bias, a depthwise conv, a small 1x1
// conv and a Linear head: every kind of weight the quantizer meets.
Graph sample_graph() {
  Graph graph;
  int x = graph.add_input("input", DType::Float32, {1, 4, 8, 8});
  const int filter = graph.add_constant("preprocess.weight", random_tensor({4, 1, 3, 3}, 1.0f, 1));
  x = graph.add("Conv", "preprocess", {x, filter}, conv_attrs(4, true, true));
  const int w1 = graph.add_constant("conv1.weight", random_tensor({6, 4, 3, 3}, 0.3f, 2));
  const int b1 = graph.add_constant("conv1.bias", random_tensor({6}, 0.1f, 3));
  x = graph.add("Conv", "conv1", {x, w1, b1}, conv_attrs(1, true));
  x = graph.add("Relu", "relu1", {x});
  const int dw = graph.add_constant("dw.weight", random_tensor({6, 1, 3, 3}, 0.5f, 4));
  x = graph.add("Conv", "dw", {x, dw, kNoValue}, conv_attrs(6, true));
  const int pw = graph.add_constant("pw.weight", random_tensor({6, 6, 1, 1}, 0.4f, 5));
  x = graph.add("Conv", "pw", {x, pw}, conv_attrs(1, false));
  x = graph.add("GlobalAveragePool", "pool", {x});
  x = graph.add("Flatten", "flatten", {x});
  const int fc = graph.add_constant("fc.weight", random_tensor({3, 6}, 0.5f, 6));
  const int fc_bias = graph.add_constant("fc.bias", random_tensor({3}, 0.1f, 7));
  graph.mark_output(graph.add("Linear", "fc", {x, fc, fc_bias}));
  return graph;
}

const Node& node_named(const Graph& graph, const std::string& name) {
  for (const Node& node : graph.nodes) {
    if (node.name == name) return node;
  }
  throw Error("no node " + name);
}

TEST(GraphQuantizer, ReplacesLayerWeightsWithInt8ConstantsBehindDequantize) {
  const Graph folded = sample_graph();
  const QuantizationResult result = quantize_graph(folded, QuantConfig{});
  const Graph& graph = result.graph;
  ASSERT_EQ(result.tensors.size(), 4u);
  EXPECT_EQ(result.tensors[0].name, "conv1.weight");
  EXPECT_EQ(result.tensors[0].node, "conv1");
  for (const char* name : {"conv1", "dw", "pw", "fc"}) {
    SCOPED_TRACE(name);
    const Node& consumer = node_named(graph, name);
    const int producer = graph.producer(consumer.inputs[1]);
    ASSERT_GE(producer, 0);
    const Node& dequantize = graph.nodes[static_cast<std::size_t>(producer)];
    EXPECT_EQ(dequantize.op, "Dequantize");
    const Value& codes = graph.value(dequantize.inputs[0]);
    ASSERT_TRUE(codes.constant.has_value());
    EXPECT_EQ(codes.dtype, DType::Int8);
    ASSERT_TRUE(codes.quant.has_value());
    ASSERT_TRUE(codes.constant->quant.has_value());
    EXPECT_EQ(codes.quant->axis, 0);
    EXPECT_EQ(codes.quant->scale, codes.constant->quant->scale);
    EXPECT_EQ(static_cast<std::int64_t>(codes.quant->scale.size()), codes.shape[0]);
  }
  // Biases stay float32, the frozen filter too.
  EXPECT_EQ(graph.constant(node_named(graph, "conv1").inputs[2]).dtype(), DType::Float32);
  EXPECT_EQ(graph.constant(node_named(graph, "fc").inputs[2]).dtype(), DType::Float32);
  const Node& preprocess = node_named(graph, "preprocess");
  EXPECT_EQ(graph.constant(preprocess.inputs[1]).dtype(), DType::Float32);
  ASSERT_EQ(result.skipped.size(), 1u);
  EXPECT_EQ(result.skipped[0].name, "preprocess.weight");
  EXPECT_EQ(result.skipped[0].reason, "frozen preprocessing filter");
  // The float copies of the quantized weights are gone.
  EXPECT_EQ(graph.find_value("conv1.weight"), -1);
  EXPECT_EQ(graph.find_value("fc.weight"), -1);
  // The input graph is untouched.
  EXPECT_EQ(folded.constant(folded.find_value("conv1.weight")).dtype(), DType::Float32);
  const nlohmann::json recorded = nlohmann::json::parse(graph.metadata.at("quantization"));
  EXPECT_EQ(recorded.at("bits"), 8);
}

TEST(GraphQuantizer, QuantizedGraphRunsCloseToTheFloatGraph) {
  const Graph folded = sample_graph();
  const QuantizationResult result = quantize_graph(folded, QuantConfig{});
  const Tensor input = random_tensor({1, 4, 8, 8}, 1.0f, 11);
  const ModelComparison comparison = compare_outputs(run_graph(folded, input), run_graph(result.graph, input));
  EXPECT_GT(comparison.sqnr_db, 30.0);
  EXPECT_GT(comparison.cosine_similarity, 0.999);

  QuantConfig two_bits;
  two_bits.bits = 2;
  const ModelComparison coarse =
      compare_outputs(run_graph(folded, input), run_graph(quantize_graph(folded, two_bits).graph, input));
  EXPECT_LT(coarse.sqnr_db, comparison.sqnr_db);
}

TEST(GraphQuantizer, MinElementsLeavesSmallWeightsInFloat) {
  QuantConfig config;
  config.min_elements = 40;  // pw.weight (36) and fc.weight (18) stay float
  const QuantizationResult result = quantize_graph(sample_graph(), config);
  ASSERT_EQ(result.tensors.size(), 2u);
  EXPECT_EQ(result.tensors[0].name, "conv1.weight");
  EXPECT_EQ(result.tensors[1].name, "dw.weight");
  ASSERT_EQ(result.skipped.size(), 3u);
  EXPECT_NE(result.skipped[1].reason.find("fewer than min-elements 40"), std::string::npos);
  EXPECT_EQ(result.graph.constant(result.graph.find_value("pw.weight")).dtype(), DType::Float32);
}

TEST(GraphQuantizer, FloatLayersKeepTheirWeightsInFloatByNodeOrWeightName) {
  QuantConfig config;
  config.float_layers = {"dw", "fc.weight"};
  const QuantizationResult result = quantize_graph(sample_graph(), config);
  ASSERT_EQ(result.tensors.size(), 2u);
  EXPECT_EQ(result.tensors[0].name, "conv1.weight");
  EXPECT_EQ(result.tensors[1].name, "pw.weight");
  ASSERT_EQ(result.skipped.size(), 3u);
  EXPECT_EQ(result.skipped[1].name, "dw.weight");
  EXPECT_EQ(result.skipped[1].reason, "kept in float (--float-layers)");
  EXPECT_EQ(result.graph.constant(result.graph.find_value("fc.weight")).dtype(), DType::Float32);
  EXPECT_EQ(weight_layers(sample_graph()), (std::vector<std::string>{"conv1", "dw", "pw", "fc"}));
}

TEST(GraphQuantizer, UnknownFloatLayerIsRefusedNamingTheLayers) {
  QuantConfig config;
  config.float_layers = {"conv9"};
  try {
    quantize_graph(sample_graph(), config);
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("no Conv or Linear layer named 'conv9' (its layers: conv1, dw, pw, fc)"),
              std::string::npos)
        << error.what();
  }
}

TEST(GraphQuantizer, SharedWeightIsQuantizedOnce) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 3});
  const int w = graph.add_constant("shared.weight", random_tensor({3, 3}, 1.0f, 8));
  const int a = graph.add("Linear", "first", {x, w});
  graph.mark_output(graph.add("Linear", "second", {a, w}));
  const QuantizationResult result = quantize_graph(graph, QuantConfig{});
  EXPECT_EQ(result.tensors.size(), 1u);
  EXPECT_EQ(node_named(result.graph, "first").inputs[1], node_named(result.graph, "second").inputs[1]);
  int dequantize_nodes = 0;
  for (const Node& node : result.graph.nodes) dequantize_nodes += node.op == "Dequantize";
  EXPECT_EQ(dequantize_nodes, 1);
}

TEST(GraphQuantizer, FrozenReaderOfASharedWeightKeepsFloat) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 4, 4});
  const int w = graph.add_constant("shared.weight", random_tensor({2, 2, 1, 1}, 1.0f, 9));
  const int learned = graph.add("Conv", "learned", {x, w});
  graph.mark_output(graph.add("Conv", "fixed", {learned, w}, conv_attrs(1, false, true)));
  const QuantizationResult result = quantize_graph(graph, QuantConfig{});
  ASSERT_EQ(result.tensors.size(), 1u);
  const Graph& quantized = result.graph;
  EXPECT_EQ(
      quantized.nodes[static_cast<std::size_t>(quantized.producer(node_named(quantized, "learned").inputs[1]))].op,
      "Dequantize");
  EXPECT_EQ(quantized.constant(node_named(quantized, "fixed").inputs[1]).dtype(), DType::Float32);
  ASSERT_EQ(result.skipped.size(), 1u);
  EXPECT_EQ(result.skipped[0].node, "fixed");
}

TEST(GraphQuantizer, QuantizingTwiceLeavesQuantizedWeightsAlone) {
  const QuantizationResult once = quantize_graph(sample_graph(), QuantConfig{});
  const QuantizationResult twice = quantize_graph(once.graph, QuantConfig{});
  EXPECT_TRUE(twice.tensors.empty());
  int already = 0;
  for (const SkippedWeight& weight : twice.skipped) already += weight.reason == "already quantized";
  EXPECT_EQ(already, 4);
}

TEST(GraphQuantizer, ByteTotalsCountCodesScalesAndZeroPoints) {
  const QuantizationResult result = quantize_graph(sample_graph(), QuantConfig{});
  // conv1 216, dw 54, pw 36, fc 18 weights; 6, 6, 6, 3 channels; preprocess 36 float weights.
  EXPECT_EQ(result.weight_bytes_before(), (216 + 54 + 36 + 18 + 36) * 4);
  EXPECT_EQ(result.weight_bytes_after(), (216 + 54 + 36 + 18) + (6 + 6 + 6 + 3) * 5 + 36 * 4);
  // Biases (6 + 3 floats) are counted in the constants on both sides.
  EXPECT_EQ(result.constant_bytes_before, result.weight_bytes_before() + 9 * 4);
  EXPECT_EQ(result.constant_bytes_after, result.weight_bytes_after() + 9 * 4);
}

TEST(GraphQuantizer, InvalidConfigurationIsRejectedBeforeAnyWork) {
  QuantConfig config;
  config.bits = 1;
  EXPECT_THROW(quantize_graph(sample_graph(), config), Error);
}

}  // namespace
}  // namespace edgeport
