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

Graph writer_layout_graph() {
  Graph graph;
  const int input = graph.add_input("input", DType::Float32, {1, 4, 9, 9});
  const int w1 = graph.add_constant("conv.weight", random_tensor({6, 4, 3, 3}, 41, 0.4f));
  int x = graph.add("Conv", "conv", {input, w1}, attributes({{"strides", Ints{2, 2}}}));  // [1,6,4,4]
  const int gamma = graph.add_constant("bn.gamma", random_tensor({6}, 42, 1.0f));
  const int beta = graph.add_constant("bn.beta", random_tensor({6}, 43, 0.5f));
  const int mean = graph.add_constant("bn.mean", random_tensor({6}, 44, 0.5f));
  Tensor variance = random_tensor({6}, 45, 0.5f);
  for (float& v : variance.values<float>()) v = v + 1.0f;
  const int var = graph.add_constant("bn.var", variance);
  x = graph.add("BatchNorm", "bn", {x, gamma, beta, mean, var});
  x = graph.add("Relu", "bn_relu", {x});
  const int pooled = graph.add("MaxPool", "ceil_pool", {x},
                               attributes({{"kernel", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"ceil_mode", std::int64_t{1}}}));
  const int same = graph.add("AvgPool", "same_pool", {x},
                             attributes({{"kernel", Ints{3, 3}}, {"strides", Ints{1, 1}}, {"pads", Ints{1, 1, 1, 1}},
                                         {"count_include_pad", std::int64_t{0}}}));
  // Per-channel means as a [6,1,1] activation, broadcast against the map.
  int means = graph.add("Mean", "channel_mean", {same}, attributes({{"axes", Ints{2, 3}}, {"keepdims", std::int64_t{0}}}));
  means = graph.add("Reshape", "channel_mean_3d", {means}, attributes({{"shape", Ints{6, 1, 1}}}));
  x = graph.add("Sub", "centred", {same, means});  // [1,6,4,4]
  QuantParams quant;
  quant.scale = {0.02f};
  quant.zero_point = {3};
  x = graph.add("Quantize", "activation_int8", {x});
  graph.value(x).quant = quant;
  x = graph.add("Dequantize", "activation_float", {x});
  // NCHW -> NHWC in the IR, then a Linear over the channels.
  x = graph.add("Transpose", "to_nhwc", {x}, attributes({{"perm", Ints{0, 2, 3, 1}}}));  // [1,4,4,6]
  const int w2 = graph.add_constant("mix.weight", random_tensor({5, 6}, 46, 0.5f));
  x = graph.add("Linear", "mix", {x, w2, graph.add_constant("mix.bias", random_tensor({5}, 47, 0.1f))});  // [1,4,4,5]
  x = graph.add("Transpose", "to_nchw", {x}, attributes({{"perm", Ints{0, 3, 1, 2}}}));                   // [1,5,4,4]
  const int extra = graph.add_constant("extra", random_tensor({1, 1, 4, 4}, 48, 1.0f));
  x = graph.add("Concat", "with_extra", {x, extra}, attributes({{"axis", std::int64_t{1}}}));  // [1,6,4,4]
  const int gate = graph.add("Mean", "gate", {pooled}, attributes({{"axes", Ints{1, 2, 3}}, {"keepdims", std::int64_t{0}}}));
  x = graph.add("Mul", "gated", {x, gate});  // a [1] activation broadcast over [1,6,4,4]
  x = graph.add("Flatten", "flat", {x});  // [1,96]
  const int w3 = graph.add_constant("head.weight", random_tensor({40, 96}, 49, 0.2f));
  graph.mark_output(graph.add("Linear", "output", {x, w3}));
  return graph;
}

}  // namespace edgeport::tflite_test
