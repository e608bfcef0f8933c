#include <malloc.h>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/op_registry.h"
#include "run_op.h"

namespace edgeport {
namespace {

using testing::attributes;
using testing::floats;
using testing::Ints;
using testing::values_of;

// An op the IR knows but the runtime has no kernel for.
const OpRegistration kernelless_op(
    {"RuntimeTestOpWithoutKernel", 1, 1, [](const Graph& graph, const Node& node) {
       return std::vector<ValueType>{{DType::Float32, node_input(graph, node, 0).shape}};
     }});

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(Session, NamesTheNodeWhoseOpHasNoKernel) {
  Graph graph;
  const int x = graph.add_input("x", DType::Float32, {1});
  graph.mark_output(graph.add("RuntimeTestOpWithoutKernel", "mystery", {x}));
  const std::string message = error_of([&] { Session session(graph); });
  EXPECT_NE(message.find("mystery"), std::string::npos) << message;
  EXPECT_NE(message.find("no kernel"), std::string::npos) << message;
}

TEST(Session, KernelErrorsFromLowerLayersNameTheNode) {
  Graph graph;
  const int x = graph.add_input("x", DType::Int8, {2});
  graph.mark_output(graph.add("Relu", "activation7", {x}));
  const std::string message =
      error_of([&] { Session(graph).run({Tensor::from_vector<std::int8_t>({2}, {1, -1})}); });
  EXPECT_NE(message.find("node 'activation7' (Relu)"), std::string::npos) << message;
}

TEST(Session, RejectsInputsOfTheWrongShape) {
  Graph graph;
  const int x = graph.add_input("image", DType::Float32, {1, 2});
  graph.mark_output(graph.add("Relu", "relu", {x}));
  const std::string message = error_of([&] { Session(graph).run({floats({2, 1}, {1, 2})}); });
  EXPECT_NE(message.find("image"), std::string::npos) << message;
}

TEST(Session, RunsAResidualBlockAndKeepsValuesReadLater) {
  // y = relu(conv2(relu(conv1(x))) + x), with 1x1 convs so the result is easy to state:
  // conv1 doubles, conv2 negates: relu(-relu(2x) + x) = relu(x - 2 relu(x)).
  Graph graph;
  const int x = graph.add_input("x", DType::Float32, {1, 1, 1, 4});
  const int w1 = graph.add_constant("w1", floats({1, 1, 1, 1}, {2}));
  const int w2 = graph.add_constant("w2", floats({1, 1, 1, 1}, {-1}));
  const int h = graph.add("Conv", "conv1", {x, w1}, attributes({{"activation", std::string("relu")}}));
  const int g = graph.add("Conv", "conv2", {h, w2});
  const int sum = graph.add("Add", "add", {g, x}, attributes({{"activation", std::string("relu")}}));
  graph.mark_output(sum);
  graph.mark_output(h);
  const std::vector<Tensor> outputs = Session(graph).run({floats({1, 1, 1, 4}, {-3, -1, 1, 3})});
  ASSERT_EQ(outputs.size(), 2u);
  EXPECT_EQ(values_of(outputs[0]), (std::vector<float>{0, 0, 0, 0}));
  EXPECT_EQ(values_of(outputs[1]), (std::vector<float>{0, 0, 2, 6}));
  // The same session runs again with fresh intermediates.
  EXPECT_EQ(values_of(Session(graph).run({floats({1, 1, 1, 4}, {-3, -1, 1, 3})})[1]), values_of(outputs[1]));
}

// What malloc has handed out and not had back, heap and mapped blocks alike.
std::size_t heap_in_use() {
  const struct mallinfo2 figures = ::mallinfo2();
  return figures.uordblks + figures.hblkhd;
}

TEST(Session, FreesTheFloatWeightsItsRewritesMadeOnceTheyArePacked) {
  // Eight 256-channel 3x3 convolutions reading int8 weights through
  // Dequantize: the session folds each Dequantize into a float weight (2.4 MB
  // each) and packs it for the library. Holding both the folded and the
  // packed weights would take twice the float size; the folded ones go.
  constexpr std::int64_t kChannels = 256;
  constexpr int kLayers = 8;
  Graph graph;
  int value = graph.add_input("x", DType::Float32, {1, kChannels, 8, 8});
  for (int layer = 0; layer < kLayers; ++layer) {
    Tensor codes(DType::Int8, {kChannels, kChannels, 3, 3});
    std::int8_t code = static_cast<std::int8_t>(layer);
    for (std::int8_t& element : codes.values<std::int8_t>()) element = code = static_cast<std::int8_t>(code * 7 + 3);
    codes.quant = QuantParams{{0.001f}, {0}, -1};
    const std::string name = "conv" + std::to_string(layer);
    const int weight = graph.add("Dequantize", name + ".weight", {graph.add_constant(name + ".codes", codes)});
    value = graph.add("Conv", name, {value, weight}, attributes({{"pads", Ints{1, 1, 1, 1}}}));
  }
  graph.mark_output(value);
  const std::size_t float_weights = std::size_t{kLayers} * kChannels * kChannels * 9 * sizeof(float);

  const std::size_t before = heap_in_use();
  const Session session(graph);
  const std::size_t held = heap_in_use() - before;
  EXPECT_GT(held, float_weights / 2) << "the packed weights are the session's own";
  EXPECT_LT(held, float_weights * 3 / 2) << "the folded float weights stayed beside their packed copies";
}

TEST(Session, RunsGraphsOfConstantsOnly) {
  Graph graph;
  const int a = graph.add_constant("a", floats({2}, {1, 2}));
  const int b = graph.add_constant("b", floats({2}, {3, 4}));
  graph.mark_output(graph.add("Mul", "mul", {a, b}));
  EXPECT_EQ(values_of(Session(graph).run({}).front()), (std::vector<float>{3, 8}));
}

TEST(Session, FlattenThenLinearClassifierHead) {
  Graph graph;
  const int x = graph.add_input("x", DType::Float32, {1, 2, 2, 2});
  const int pooled = graph.add("GlobalAveragePool", "pool", {x});
  const int flat = graph.add("Flatten", "flatten", {pooled});
  const int w = graph.add_constant("fc.weight", floats({3, 2}, {1, 0, 0, 1, 1, -1}));
  const int b = graph.add_constant("fc.bias", floats({3}, {0, 0, 0.5f}));
  graph.mark_output(graph.add("Linear", "fc", {flat, w, b}));
  const Tensor logits = run_graph(graph, floats({1, 2, 2, 2}, {1, 2, 3, 4, 0, 0, 0, 4}));
  EXPECT_EQ(logits.shape(), (Shape{1, 3}));
  EXPECT_EQ(values_of(logits), (std::vector<float>{2.5f, 1, 2}));
}

}  // namespace
}  // namespace edgeport
