#include "writer_graphs.h"

#include "support.h"

namespace edgeport::tflite_test {

namespace {

Attributes attributes(std::initializer_list<std::pair<const char*, AttributeValue>> entries) {
  Attributes attrs;
  for (const auto& [name, value] : entries) attrs.set(name, value);
  return attrs;
}

using Ints = std::vector<std::int64_t>;

}  // namespace

Graph writer_zoo_graph() {
  Graph graph;
  int x = graph.add_input("input", DType::Float32, {1, 3, 20, 20});
  const int w1 = graph.add_constant("conv1.weight", random_tensor({8, 3, 3, 3}, 1, 0.5f));
  const int b1 = graph.add_constant("conv1.bias", random_tensor({8}, 2, 0.1f));
  x = graph.add("Conv", "conv1", {x, w1, b1}, attributes({{"pads", Ints{1, 1, 1, 1}}}));
  x = graph.add("Relu", "relu1", {x});
  const int w2 = graph.add_constant("conv2.weight", random_tensor({8, 8, 3, 3}, 3, 0.3f));
  const int stride2 = graph.add("Conv", "conv2", {x, w2},
                                attributes({{"pads", Ints{1, 1, 1, 1}}, {"strides", Ints{2, 2}}}));
  const int wg = graph.add_constant("grouped.weight", random_tensor({8, 2, 1, 1}, 12, 0.5f));
  const int grouped = graph.add("Conv", "grouped", {stride2, wg}, attributes({{"group", std::int64_t{4}}}));
  const int w3 = graph.add_constant("dw.weight", random_tensor({16, 1, 3, 3}, 4, 0.5f));
  const int b3 = graph.add_constant("dw.bias", random_tensor({16}, 5, 0.1f));
  int y = graph.add("Conv", "dw", {grouped, w3, b3},
                    attributes({{"pads", Ints{2, 2, 2, 2}}, {"dilations", Ints{2, 2}}, {"group", std::int64_t{8}}}));
  y = graph.add("Relu6", "dw_relu6", {y});
  const int shift = graph.add_constant("shift", random_tensor({1, 16, 1, 1}, 6, 0.2f));
  y = graph.add("Add", "add", {y, shift});
  const int gain = graph.add_constant("gain", random_tensor({16, 1, 1}, 7, 1.0f));
  y = graph.add("Mul", "mul", {y, gain});
  y = graph.add("HardSwish", "hswish", {y});
  const int max_pool = graph.add("MaxPool", "maxpool", {y},
                                 attributes({{"kernel", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}}));
  const int avg_pool = graph.add("AvgPool", "avgpool", {y},
                                 attributes({{"kernel", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}}));
  y = graph.add("Concat", "concat", {max_pool, avg_pool}, attributes({{"axis", std::int64_t{1}}}));
  y = graph.add("Sigmoid", "sigmoid", {y});
  y = graph.add("Resize", "upsample", {y}, attributes({{"scales", std::vector<double>{2.0, 2.0}}}));
  y = graph.add("Pad", "pad", {y}, attributes({{"pads", Ints{0, 0, 1, 0, 0, 0, 0, 2}}}));
  y = graph.add("Sub", "sub", {y, graph.add_constant("offset", random_tensor({1}, 8, 0.5f))});
  y = graph.add("Mean", "mean", {y}, attributes({{"axes", Ints{2, 3}}, {"keepdims", std::int64_t{0}}}));
  const int w4 = graph.add_constant("fc.weight", random_tensor({5, 32}, 9, 0.3f));
  const int b4 = graph.add_constant("fc.bias", random_tensor({5}, 10, 0.1f));
  y = graph.add("Linear", "output", {y, w4, b4});
  graph.mark_output(y);
  return graph;
}

}  // namespace edgeport::tflite_test
