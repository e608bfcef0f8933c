#include <gtest/gtest.h>

#include <cmath>

#include "graph_fixtures.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

using namespace edgeport::testing;

// Symmetric per-output-channel int8 codes of a random weight.
Tensor quantized_weight(const Shape& shape, std::mt19937& rng, std::int32_t zero_point = 0, int axis = 0) {
  const std::int64_t channels = shape[static_cast<std::size_t>(axis)];
  std::uniform_int_distribution<int> code(-127, 127);
  Tensor codes(DType::Int8, shape);
  for (std::int8_t& value : codes.values<std::int8_t>()) value = static_cast<std::int8_t>(code(rng));
  QuantParams params;
  params.axis = axis;
  for (std::int64_t c = 0; c < channels; ++c) {
    params.scale.push_back(0.01f * static_cast<float>(c + 1));
    params.zero_point.push_back(zero_point);
  }
  codes.quant = params;
  return codes;
}

int dequantized(Graph& graph, const std::string& name, Tensor codes) {
  return graph.add("Dequantize", name + ".dequantize", {graph.add_constant(name + ".weight", std::move(codes))});
}

TEST(MarkHybrid, ConvAndLinearReadTheInt8WeightDirectly) {
  std::mt19937 rng(1);
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 4, 6, 6});
  const int conv = graph.add("Conv", "conv", {x, dequantized(graph, "conv", quantized_weight({8, 4, 3, 3}, rng)),
                                              graph.add_constant("conv.bias", random_tensor({8}, rng))});
  const int flat = graph.add("Flatten", "flatten", {conv});
  const int fc = graph.add("Linear", "fc", {flat, dequantized(graph, "fc", quantized_weight({3, 128}, rng))});
  graph.mark_output(fc);
  const Tensor input = random_tensor({1, 4, 6, 6}, rng);
  const Tensor expected = run_graph(graph, input, kReference);

  ASSERT_EQ(mark_hybrid(graph), 2);
  EXPECT_EQ(count_ops(graph, "Dequantize"), 0);
  for (const char* name : {"conv", "fc"}) {
    const Node* node = find_node(graph, name);
    ASSERT_NE(node, nullptr);
    EXPECT_EQ(node->attrs.get_int("hybrid"), 1) << name;
    EXPECT_EQ(graph.value(node->inputs[1]).dtype, DType::Int8) << name;
    EXPECT_EQ(graph.value(node->inputs[1]).name, std::string(name) + ".weight");
  }
  graph.validate();
  RunOptions dequantizing;
  dequantizing.hybrid = false;
  EXPECT_LE(max_abs_diff(run_graph(graph, input, dequantizing), expected), 1e-5f * std::max(1.0f, max_abs(expected)));
  // Hybrid arithmetic quantizes the activations too: close, not equal.
  EXPECT_LE(max_abs_diff(run_graph(graph, input, kReference), expected), 0.05f * max_abs(expected));
  EXPECT_EQ(mark_hybrid(graph), 0) << "already marked";
}

TEST(MarkHybrid, OnlySymmetricInt8WeightsQualify) {
  std::mt19937 rng(2);
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 4, 3, 3});
  const int asymmetric =
      graph.add("Conv", "asymmetric", {x, dequantized(graph, "asymmetric", quantized_weight({4, 4, 1, 1}, rng, 3))});
  const int input_axis =
      graph.add("Conv", "input_axis", {asymmetric, dequantized(graph, "input_axis", quantized_weight({4, 4, 1, 1}, rng, 0, 1))});
  Tensor wide_codes(DType::UInt8, {4, 4, 1, 1});
  wide_codes.quant = QuantParams{{0.1f}, {0}, -1};
  const int unsigned_codes = graph.add("Conv", "unsigned", {input_axis, dequantized(graph, "unsigned", wide_codes)});
  const int float_weight = graph.add("Conv", "float", {unsigned_codes, graph.add_constant("w", random_tensor({4, 4, 1, 1}, rng))});
  graph.mark_output(float_weight);
  EXPECT_EQ(mark_hybrid(graph), 0);
  EXPECT_EQ(count_ops(graph, "Dequantize"), 3);
  for (const Node& node : graph.nodes) EXPECT_FALSE(node.attrs.has("hybrid")) << node.name;
}

TEST(MarkHybrid, KeepsADequantizeThatOthersStillRead) {
  std::mt19937 rng(3);
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {6, 6});
  const int weight = dequantized(graph, "fc", quantized_weight({6, 6}, rng));
  const int fc = graph.add("Linear", "fc", {x, weight});
  graph.mark_output(graph.add("Add", "add", {fc, weight}));
  ASSERT_EQ(mark_hybrid(graph), 1);
  EXPECT_EQ(count_ops(graph, "Dequantize"), 1);
  EXPECT_EQ(graph.value(find_node(graph, "fc")->inputs[1]).dtype, DType::Int8);
}

}  // namespace
}  // namespace edgeport
