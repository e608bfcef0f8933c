// Two convolutions with nothing nonlinear between them are one convolution in
// real arithmetic. Merging pays when one of them is pointwise: a 1x1 conv
// feeding a 3x3 one (Tiny-LaDeDa's conv1 -> conv2) becomes a single 3x3 conv
// over the 1x1's inputs, with fewer multiply-adds when the 1x1 widens.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/ops/conv.h"
#include "core/ops/shape_rules.h"
#include "passes/graph_edit.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

struct ConvView {
  const Node* node = nullptr;
  Window2d window;
  std::int64_t group = 1;
  Shape weight_shape;  // OIHW
  Shape output_shape;  // NCHW

  std::int64_t multiply_adds() const {
    const Shape& w = weight_shape;
    return output_shape[0] * output_shape[2] * output_shape[3] * w[0] * w[1] * w[2] * w[3];
  }
  bool pointwise() const {
    return weight_shape[2] == 1 && weight_shape[3] == 1 && window.strides == std::vector<std::int64_t>{1, 1} &&
           window.pads == std::vector<std::int64_t>{0, 0, 0, 0};
  }
  bool padded() const { return window.pads != std::vector<std::int64_t>{0, 0, 0, 0}; }
};

bool has_bias(const Node& node) { return node.inputs.size() > 2 && node.inputs[2] != kNoValue; }

// A float32 Conv whose weight and bias are constants, or nothing.
std::optional<ConvView> float_conv(const Graph& graph, int node_index) {
  if (node_index < 0) return std::nullopt;
  const Node& node = graph.nodes[static_cast<std::size_t>(node_index)];
  if (node.op != op::Conv || node.attrs.get_int("hybrid", 0) != 0) return std::nullopt;
  if (!graph.is_constant(node.inputs[1]) || graph.value(node.inputs[1]).dtype != DType::Float32) return std::nullopt;
  if (has_bias(node) && !graph.is_constant(node.inputs[2])) return std::nullopt;
  if (graph.value(node.inputs[0]).dtype != DType::Float32) return std::nullopt;
  ConvView view;
  view.node = &node;
  view.weight_shape = graph.value(node.inputs[1]).shape;
  view.output_shape = graph.value(node.outputs[0]).shape;
  view.window = read_window(node, {view.weight_shape[2], view.weight_shape[3]});
  view.group = node.attrs.get_int("group", 1);
  return view;
}

// The first conv's weight as a dense [O][C][kh][kw] array in double (a grouped
// weight gets zeros outside its group).
std::vector<double> dense_weight(const Graph& graph, const ConvView& conv, std::int64_t in_channels) {
  const Shape& w = conv.weight_shape;
  const std::int64_t per_group_in = w[1];
  const std::int64_t per_group_out = w[0] / conv.group;
  const std::int64_t taps = w[2] * w[3];
  const float* source = graph.constant(conv.node->inputs[1]).data<float>();
  std::vector<double> dense(static_cast<std::size_t>(w[0] * in_channels * taps), 0.0);
  for (std::int64_t o = 0; o < w[0]; ++o) {
    const std::int64_t first_input = (o / per_group_out) * per_group_in;
    for (std::int64_t c = 0; c < per_group_in; ++c) {
      for (std::int64_t t = 0; t < taps; ++t) {
        dense[static_cast<std::size_t>((o * in_channels + first_input + c) * taps + t)] =
            source[(o * per_group_in + c) * taps + t];
      }
    }
  }
  return dense;
}

std::vector<double> bias_of(const Graph& graph, const Node& node, std::int64_t channels) {
  std::vector<double> bias(static_cast<std::size_t>(channels), 0.0);
  if (!has_bias(node)) return bias;
  const float* values = graph.constant(node.inputs[2]).data<float>();
  for (std::int64_t o = 0; o < channels; ++o) bias[static_cast<std::size_t>(o)] = values[o];
  return bias;
}

struct MergedConv {
  Tensor weight;
  Tensor bias;
};

// first: [M][C][kh][kw] dense; second pointwise [O][M]: W[o][c][t] = sum_m second[o][m] first[m][c][t].
// Or first pointwise [M][C] and second [O][M][kh][kw]: W[o][c][t] = sum_m second[o][m][t] first[m][c].
MergedConv merge(const Graph& graph, const ConvView& first, const ConvView& second) {
  const std::int64_t in_channels = graph.value(first.node->inputs[0]).shape[1];
  const std::int64_t middle = first.weight_shape[0];
  const std::int64_t out_channels = second.weight_shape[0];
  const std::vector<double> a = dense_weight(graph, first, in_channels);
  const std::vector<double> b = dense_weight(graph, second, middle);
  const std::vector<double> a_bias = bias_of(graph, *first.node, middle);
  const std::vector<double> b_bias = bias_of(graph, *second.node, out_channels);
  const std::int64_t first_taps = first.weight_shape[2] * first.weight_shape[3];
  const std::int64_t second_taps = second.weight_shape[2] * second.weight_shape[3];
  const ConvView& windowed = second.pointwise() ? first : second;
  const std::int64_t kh = windowed.weight_shape[2];
  const std::int64_t kw = windowed.weight_shape[3];
  const std::int64_t taps = kh * kw;
  // One of the two is pointwise: tap t of the merged kernel is tap t of the other.
  auto a_at = [&](std::int64_t m, std::int64_t c, std::int64_t t) {
    return a[static_cast<std::size_t>((m * in_channels + c) * first_taps + (first_taps == 1 ? 0 : t))];
  };
  auto b_at = [&](std::int64_t o, std::int64_t m, std::int64_t t) {
    return b[static_cast<std::size_t>((o * middle + m) * second_taps + (second_taps == 1 ? 0 : t))];
  };
  MergedConv merged{Tensor(DType::Float32, {out_channels, in_channels, kh, kw}),
                    Tensor(DType::Float32, {out_channels})};
  float* weight = merged.weight.data<float>();
  float* bias = merged.bias.data<float>();
  for (std::int64_t o = 0; o < out_channels; ++o) {
    double bias_sum = b_bias[static_cast<std::size_t>(o)];
    for (std::int64_t m = 0; m < middle; ++m) {
      double second_total = 0.0;
      for (std::int64_t t = 0; t < second_taps; ++t) second_total += b_at(o, m, t);
      bias_sum += second_total * a_bias[static_cast<std::size_t>(m)];
    }
    bias[o] = static_cast<float>(bias_sum);
    for (std::int64_t c = 0; c < in_channels; ++c) {
      for (std::int64_t t = 0; t < taps; ++t) {
        double sum = 0.0;
        for (std::int64_t m = 0; m < middle; ++m) sum += b_at(o, m, t) * a_at(m, c, t);
        weight[(o * in_channels + c) * taps + t] = static_cast<float>(sum);
      }
    }
  }
  return merged;
}

// Whether first -> second may become one conv, exactly in real arithmetic, with fewer multiply-adds.
bool mergeable(const Graph& graph, const ConvView& first, const ConvView& second, int second_index) {
  if (first.node->attrs.get_string("activation", "none") != "none") return false;
  if (!is_sole_reader(graph, first.node->outputs[0], second_index)) return false;
  if (second.group != 1) return false;
  if (first.pointwise()) {
    // The second conv's zero padding would have to be the first's bias, which it is not.
    if (has_bias(*first.node) && second.padded()) return false;
  } else if (!second.pointwise()) {
    return false;
  }
  const ConvView& windowed = second.pointwise() ? first : second;
  const std::int64_t in_channels = graph.value(first.node->inputs[0]).shape[1];
  const Shape& out = second.output_shape;
  const std::int64_t merged_multiply_adds = out[0] * out[2] * out[3] * second.weight_shape[0] * in_channels *
                                            windowed.weight_shape[2] * windowed.weight_shape[3];
  return merged_multiply_adds < first.multiply_adds() + second.multiply_adds();
}

}  // namespace

int merge_linear_convs(Graph& graph) {
  int merged_count = 0;
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    const std::optional<ConvView> second = float_conv(graph, static_cast<int>(i));
    if (!second) continue;
    const std::optional<ConvView> first = float_conv(graph, graph.producer(second->node->inputs[0]));
    if (!first || !mergeable(graph, *first, *second, static_cast<int>(i))) continue;
    MergedConv merged = merge(graph, *first, *second);
    const ConvView& windowed = second->pointwise() ? *first : *second;
    Node& node = graph.nodes[i];
    const std::string base = node.name;
    Attributes attrs = windowed.node->attrs;
    attrs.set("group", std::int64_t{1});
    attrs.set("activation", node.attrs.get_string("activation", "none"));
    const int weight = graph.add_constant(graph.unique_name(base + ".merged_weight"), std::move(merged.weight));
    const int bias = graph.add_constant(graph.unique_name(base + ".merged_bias"), std::move(merged.bias));
    node.inputs = {first->node->inputs[0], weight, bias};
    node.attrs = std::move(attrs);
    ++merged_count;
  }
  if (merged_count > 0) graph.compact();
  return merged_count;
}

}  // namespace edgeport
