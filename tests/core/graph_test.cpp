#include <gtest/gtest.h>

#include "core/error.h"
#include "core/graph.h"

namespace edgeport {
namespace {

TEST(Graph, InfersConvOutputShape) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 3, 256, 256});
  const int w = graph.add_constant("w", Tensor(DType::Float32, {8, 3, 3, 3}));
  Attributes attrs;
  attrs.set("strides", std::vector<std::int64_t>{2, 2});
  const int y = graph.add("Conv", "conv", {x, w}, attrs);
  EXPECT_EQ(graph.value(y).shape, (Shape{1, 8, 127, 127}));
}

TEST(Graph, RejectsMismatchedConvWeightNamingTheNode) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 3, 8, 8});
  const int w = graph.add_constant("w", Tensor(DType::Float32, {8, 4, 3, 3}));
  try {
    graph.add("Conv", "conv1", {x, w});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("conv1"), std::string::npos);
  }
}

TEST(Graph, CompactDropsDeadNodesAndRenumbers) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 4, 4});
  graph.add("Relu", "dead", {x});
  const int live = graph.add("Sigmoid", "live", {x});
  graph.mark_output(live);
  graph.compact();
  ASSERT_EQ(graph.nodes.size(), 1u);
  EXPECT_EQ(graph.nodes[0].name, "live");
  EXPECT_EQ(graph.value(graph.outputs[0]).name, "live");
  graph.validate();
}

TEST(Graph, BroadcastsBinaryOps) {
  Graph graph;
  const int a = graph.add_input("a", DType::Float32, {1, 3, 4, 4});
  const int b = graph.add_constant("b", Tensor(DType::Float32, {3, 1, 1}));
  EXPECT_EQ(graph.value(graph.add("Mul", "mul", {a, b})).shape, (Shape{1, 3, 4, 4}));
}

TEST(Graph, PoolCeilModeDropsWindowStartingInPadding) {
  Graph graph;
  const int x = graph.add_input("x", DType::Float32, {1, 1, 5, 5});
  Attributes attrs;
  attrs.set("kernel", std::vector<std::int64_t>{2, 2});
  attrs.set("strides", std::vector<std::int64_t>{2, 2});
  attrs.set("ceil_mode", std::int64_t{1});
  EXPECT_EQ(graph.value(graph.add("MaxPool", "pool", {x}, attrs)).shape, (Shape{1, 1, 3, 3}));
}

}  // namespace
}  // namespace edgeport
