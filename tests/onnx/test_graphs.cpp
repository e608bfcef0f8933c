#include "test_graphs.h"

#include <algorithm>
#include <cmath>

#include "onnx_test_support.h"

namespace edgeport::onnx_test {
namespace {

using Ints = std::vector<std::int64_t>;

int dequantized_weight(Graph& graph, const std::string& name, const Tensor& weight, bool per_channel, bool symmetric) {
  const int codes = graph.add_constant(name + "_quantized", quantize_weight(weight, per_channel, symmetric));
  return graph.add("Dequantize", name + "_dequantize", {codes});
}

}  // namespace

Attributes attributes(std::initializer_list<std::pair<const char*, AttributeValue>> entries) {
  Attributes result;
  for (const auto& [name, value] : entries) result.set(name, value);
  return result;
}

Graph classifier_graph() {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 3, 17, 19});
  int y = graph.add("Conv", "conv1",
                    {x, graph.add_constant("conv1.weight", random_tensor({8, 3, 3, 3}, 1, 0.5f)),
                     graph.add_constant("conv1.bias", random_tensor({8}, 2))},
                    attributes({{"strides", Ints{2, 2}}, {"pads", Ints{1, 0, 2, 1}}, {"activation", std::string("relu")}}));
  y = graph.add("Conv", "depthwise", {y, graph.add_constant("depthwise.weight", random_tensor({8, 1, 3, 3}, 3))},
                attributes({{"group", std::int64_t{8}}, {"pads", Ints{1, 1, 1, 1}}}));
  y = graph.add("BatchNorm", "bn",
                {y, graph.add_constant("bn.gamma", random_tensor({8}, 4)), graph.add_constant("bn.beta", random_tensor({8}, 5)),
                 graph.add_constant("bn.mean", random_tensor({8}, 6)),
                 graph.add_constant("bn.var", Tensor::from_vector<float>({8}, {1, 2, 0.5f, 1, 3, 1, 0.25f, 2}))},
                attributes({{"epsilon", 1e-3}}));
  y = graph.add("Relu6", "relu6", {y});
  y = graph.add("MaxPool", "maxpool", {y},
                attributes({{"kernel", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}}));
  y = graph.add("AvgPool", "avgpool", {y},
                attributes({{"kernel", Ints{2, 2}}, {"strides", Ints{1, 1}}, {"pads", Ints{1, 1, 0, 0}},
                            {"count_include_pad", std::int64_t{0}}}));
  y = graph.add("GlobalAveragePool", "gap", {y});
  y = graph.add("Flatten", "flatten", {y});
  y = graph.add("Linear", "fc",
                {y, graph.add_constant("fc.weight", random_tensor({5, 8}, 7)), graph.add_constant("fc.bias", random_tensor({5}, 8))},
                attributes({{"activation", std::string("relu6")}}));
  graph.mark_output(y);
  graph.metadata["architecture"] = "hand_built";
  return graph;
}

Tensor quantize_weight(const Tensor& weight, bool per_channel, bool symmetric) {
  const std::int64_t channels = per_channel ? weight.dim(0) : 1;
  const std::int64_t per = weight.numel() / channels;
  Tensor codes(DType::Int8, weight.shape());
  QuantParams params;
  params.axis = per_channel ? 0 : -1;
  for (std::int64_t c = 0; c < channels; ++c) {
    const float* values = weight.data<float>() + c * per;
    const float low = std::min(0.0f, *std::min_element(values, values + per));
    const float high = std::max(0.0f, *std::max_element(values, values + per));
    const float scale = symmetric ? std::max(-low, high) / 127.0f : (high - low) / 255.0f;
    const std::int32_t zero_point = symmetric ? 0 : static_cast<std::int32_t>(std::nearbyint(-128.0f - low / scale));
    params.scale.push_back(scale);
    params.zero_point.push_back(zero_point);
    for (std::int64_t i = 0; i < per; ++i) {
      const float code = std::nearbyint(values[i] / scale) + static_cast<float>(zero_point);
      codes.data<std::int8_t>()[c * per + i] = static_cast<std::int8_t>(std::clamp(code, -128.0f, 127.0f));
    }
  }
  codes.quant = params;
  return codes;
}

Graph quantized_graph(bool per_channel, bool symmetric) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 4, 12, 10});
  int y = graph.add(
      "Conv", "conv1",
      {x, dequantized_weight(graph, "conv1.weight", random_tensor({8, 4, 3, 3}, 21, 0.4f), per_channel, symmetric),
       graph.add_constant("conv1.bias", random_tensor({8}, 22))},
      attributes({{"pads", Ints{1, 1, 1, 1}}, {"activation", std::string("relu")}}));
  y = graph.add(
      "Conv", "grouped",
      {y, dequantized_weight(graph, "grouped.weight", random_tensor({8, 4, 3, 3}, 23, 0.3f), per_channel, symmetric)},
      attributes({{"group", std::int64_t{2}}, {"strides", Ints{2, 2}}, {"pads", Ints{0, 1, 1, 0}}}));
  y = graph.add("Relu6", "relu6", {y});
  y = graph.add("GlobalAveragePool", "gap", {y});
  y = graph.add("Flatten", "flatten", {y});
  y = graph.add("Linear", "fc",
                {y, dequantized_weight(graph, "fc.weight", random_tensor({3, 8}, 24), per_channel, symmetric),
                 graph.add_constant("fc.bias", random_tensor({3}, 25))});
  graph.mark_output(y);
  return graph;
}

// Shape ops: Resize (scales and sizes), Transpose, Linear over the last axis
// of a 4-d tensor, Reshape, Concat, Pad, Mean, Sub and Mul with constants.
Graph shape_ops_graph() {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 3, 8, 6});
  const int coarse = graph.add("Resize", "down", {x}, attributes({{"scales", std::vector<double>{0.5, 0.5}}}));
  const int fine = graph.add("Resize", "up", {coarse}, attributes({{"sizes", Ints{8, 6}}}));
  const int residual = graph.add("Sub", "residual", {x, fine});
  const int scaled = graph.add("Mul", "scaled", {residual, graph.add_constant("gain", random_tensor({3, 1, 1}, 4))});
  const int nhwc = graph.add("Transpose", "to_nhwc", {scaled}, attributes({{"perm", Ints{0, 2, 3, 1}}}));
  const int logits = graph.add("Linear", "head",
                               {nhwc, graph.add_constant("head.weight", random_tensor({4, 3}, 5)),
                                graph.add_constant("head.bias", random_tensor({4}, 6))});
  const int nchw = graph.add("Transpose", "to_nchw", {logits}, attributes({{"perm", Ints{0, 3, 1, 2}}}));
  const int padded = graph.add("Pad", "pad", {nchw}, attributes({{"pads", Ints{0, 0, 1, 0, 0, 0, 0, 2}}, {"value", 0.5}}));
  const int joined = graph.add("Concat", "concat", {padded, padded}, attributes({{"axis", std::int64_t{1}}}));
  const int flat = graph.add("Reshape", "reshape", {joined}, attributes({{"shape", Ints{1, 8, -1}}}));
  graph.mark_output(graph.add("Mean", "mean", {flat}, attributes({{"axes", Ints{2}}, {"keepdims", std::int64_t{0}}})));
  return graph;
}

}  // namespace edgeport::onnx_test
