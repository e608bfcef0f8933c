// plan_channels_last: the planned graph computes the given one bit for bit on
// the reference kernels, and transposes sit only where the layout changes.
#include <gtest/gtest.h>

#include "core/ops/shape_rules.h"
#include "graph_fixtures.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

using namespace edgeport::testing;

int add_conv(Graph& graph, const std::string& name, int x, std::int64_t out_channels, std::int64_t kernel,
             std::int64_t stride, std::mt19937& rng, const std::string& activation = "none") {
  const std::int64_t in_channels = graph.value(x).shape[1];
  const int weight = graph.add_constant(name + ".weight", random_tensor({out_channels, in_channels, kernel, kernel}, rng));
  const int bias = graph.add_constant(name + ".bias", random_tensor({out_channels}, rng));
  Attributes attrs;
  const std::int64_t pad = kernel / 2;
  attrs.set("pads", ints({pad, pad, pad, pad}));
  attrs.set("strides", ints({stride, stride}));
  attrs.set("activation", activation);
  return graph.add("Conv", name, {x, weight, bias}, attrs);
}

// conv -> maxpool -> conv -> add (residual) -> relu -> conv -> global pool,
// with the first conv's output also a graph output (an NCHW reader).
Graph residual_network(std::mt19937& rng) {
  Graph graph;
  const int input = graph.add_input("input", DType::Float32, {2, 3, 13, 11});
  const int stem = add_conv(graph, "stem", input, 16, 3, 1, rng, "relu");
  Attributes pool;
  pool.set("kernel", ints({3, 3}));
  pool.set("strides", ints({2, 2}));
  pool.set("pads", ints({1, 1, 1, 1}));
  const int pooled = graph.add("MaxPool", "pool", {stem}, pool);
  const int body = add_conv(graph, "body", pooled, 16, 3, 1, rng);
  const int sum = graph.add("Add", "add", {body, pooled});
  const int relu = graph.add("Relu", "relu", {sum});
  const int head = add_conv(graph, "head", relu, 24, 1, 2, rng);
  graph.mark_output(graph.add("GlobalAveragePool", "gap", {head}));
  graph.mark_output(stem);
  return graph;
}

bool every_conv(const Graph&, const Node&) { return true; }

TEST(ChannelsLast, ResidualNetworkGivesTheSameBitsWithTransposesOnlyAtTheEdges) {
  std::mt19937 rng(5);
  const Graph given = residual_network(rng);
  Graph planned = given;
  EXPECT_EQ(plan_channels_last(planned, every_conv), 7);
  planned.validate();

  int nhwc_nodes = 0;
  for (const Node& node : planned.nodes) {
    if (node.op == "Transpose") continue;
    if (node.op == "Add" || node.op == "Relu") {
      // Element-wise ops carry no layout: their [N, H, W, C] output shows it.
      EXPECT_EQ(planned.value(node.outputs[0]).shape, (Shape{2, 7, 6, 16})) << node.name;
    } else {
      EXPECT_TRUE(channels_last(node)) << node.name << " (" << node.op << ") stayed NCHW";
    }
    ++nhwc_nodes;
  }
  EXPECT_EQ(nhwc_nodes, 7);
  // One transpose in; two out, one per graph output.
  EXPECT_EQ(count_ops(planned, "Transpose"), 3);
  EXPECT_EQ(planned.value(planned.outputs[0]).shape, (Shape{2, 24, 1, 1}));
  EXPECT_EQ(planned.value(planned.outputs[1]).name, "stem");

  const Tensor input = random_tensor({2, 3, 13, 11}, rng);
  const std::vector<Tensor> expected = Session(given, kReference).run({input});
  const std::vector<Tensor> actual = Session(planned, kReference).run({input});
  ASSERT_EQ(actual.size(), 2u);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(actual[i].shape(), expected[i].shape());
    EXPECT_EQ(max_abs_diff(actual[i], expected[i]), 0.0f) << "output " << i;
  }
  // The fast session (library convolutions, the channels-last max pool) on
  // the planned graph, within the float tolerance of the reference.
  const std::vector<Tensor> fast = Session(planned).run({input});
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_LE(max_abs_diff(fast[i], expected[i]), 1e-5f * max_abs(expected[i]) + 1e-6f) << "output " << i;
  }
}

TEST(ChannelsLast, PlanningTwiceChangesNothing) {
  std::mt19937 rng(6);
  Graph planned = residual_network(rng);
  plan_channels_last(planned, every_conv);
  const std::size_t nodes = planned.nodes.size();
  EXPECT_EQ(plan_channels_last(planned, every_conv), 0);
  EXPECT_EQ(planned.nodes.size(), nodes);
}

TEST(ChannelsLast, ConvsNotWantedAndTheirNeighboursStayNchw) {
  std::mt19937 rng(7);
  Graph graph = residual_network(rng);
  const std::size_t nodes = graph.nodes.size();
  EXPECT_EQ(plan_channels_last(graph, [](const Graph&, const Node&) { return false; }), 0);
  EXPECT_EQ(graph.nodes.size(), nodes);
  EXPECT_EQ(count_ops(graph, "Transpose"), 0);
}

TEST(ChannelsLast, ABroadcastConstantKeepsItsReaderNchw) {
  std::mt19937 rng(8);
  Graph graph;
  const int input = graph.add_input("input", DType::Float32, {1, 4, 6, 6});
  const int conv = add_conv(graph, "conv", input, 4, 3, 1, rng);
  // A per-channel [1,4,1,1] constant would broadcast along W once channels-last.
  const int scale = graph.add_constant("scale", random_tensor({1, 4, 1, 1}, rng));
  graph.mark_output(graph.add("Mul", "mul", {conv, scale}));
  const Graph given = graph;
  EXPECT_EQ(plan_channels_last(graph, every_conv), 1);
  const int mul = graph.producer(graph.outputs[0]);
  EXPECT_EQ(graph.nodes[static_cast<std::size_t>(mul)].op, "Mul");
  const Tensor x = random_tensor({1, 4, 6, 6}, rng);
  EXPECT_EQ(max_abs_diff(Session(graph, kReference).run({x})[0], Session(given, kReference).run({x})[0]), 0.0f);
}

}  // namespace
}  // namespace edgeport
