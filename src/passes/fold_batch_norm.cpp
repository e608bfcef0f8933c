#include <vector>

#include "core/batch_norm_affine.h"
#include "core/ops/batch_norm.h"
#include "core/ops/conv.h"
#include "core/ops/linear.h"
#include "passes/graph_edit.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

bool all_constant(const Graph& graph, const Node& node, std::size_t first, std::size_t last) {
  for (std::size_t i = first; i <= last; ++i) {
    if (!graph.is_constant(node.inputs[i])) return false;
  }
  return true;
}

// A Conv's or Linear's weight has output channels on axis 0. A Linear's output
// channels are on BatchNorm's axis 1 only when its output is [N, C]. A fused
// activation sits between the op and the BatchNorm, so it blocks folding.
bool foldable(const Graph& graph, const Node& producer, std::size_t batch_norm_index) {
  if (producer.op != op::Conv && producer.op != op::Linear) return false;
  if (producer.op == op::Linear && graph.value(producer.outputs[0]).shape.size() != 2) return false;
  if (producer.attrs.get_string("activation", "none") != "none") return false;
  if (!graph.is_constant(producer.inputs[1]) || graph.value(producer.inputs[1]).dtype != DType::Float32) return false;
  const bool has_bias = producer.inputs.size() > 2 && producer.inputs[2] != kNoValue;
  if (has_bias && !graph.is_constant(producer.inputs[2])) return false;
  return is_sole_reader(graph, producer.outputs[0], static_cast<int>(batch_norm_index));
}

// Name for a folded copy of constant `original`: its own name when the
// producer was its only reader (the original then disappears in compact()),
// a fresh one when others still read the unfolded tensor.
std::string folded_name(const Graph& graph, int original, int producer_index) {
  const std::vector<int> readers = graph.consumers(original);
  const std::string& name = graph.value(original).name;
  if (readers.size() == 1 && readers.front() == producer_index) return name;
  return graph.unique_name(name + ".folded");
}

void fold_into(Graph& graph, int producer_index, const ChannelAffine<double>& affine) {
  const Node& producer = graph.nodes[static_cast<std::size_t>(producer_index)];
  const int weight_id = producer.inputs[1];
  const bool has_bias = producer.inputs.size() > 2 && producer.inputs[2] != kNoValue;
  const int bias_id = has_bias ? producer.inputs[2] : kNoValue;

  Tensor weight = graph.constant(weight_id).to_float32();
  const std::int64_t channels = weight.dim(0);
  const std::int64_t per_channel = weight.numel() / channels;
  float* weights = weight.data<float>();
  for (std::int64_t o = 0; o < channels; ++o) {
    for (std::int64_t i = 0; i < per_channel; ++i) {
      float& w = weights[o * per_channel + i];
      w = static_cast<float>(w * affine.scale[static_cast<std::size_t>(o)]);
    }
  }
  Tensor bias(DType::Float32, {channels});
  const Tensor old_bias = has_bias ? graph.constant(bias_id).to_float32() : Tensor(DType::Float32, {channels});
  for (std::int64_t o = 0; o < channels; ++o) {
    const auto c = static_cast<std::size_t>(o);
    bias.data<float>()[o] = static_cast<float>(old_bias.data<float>()[o] * affine.scale[c] + affine.shift[c]);
  }

  const std::string weight_name = folded_name(graph, weight_id, producer_index);
  const std::string bias_name =
      has_bias ? folded_name(graph, bias_id, producer_index) : graph.unique_name(producer.name + ".bias");
  const int new_weight = graph.add_constant(weight_name, std::move(weight));
  const int new_bias = graph.add_constant(bias_name, std::move(bias));
  Node& rewritten = graph.nodes[static_cast<std::size_t>(producer_index)];
  rewritten.inputs.resize(3, kNoValue);
  rewritten.inputs[1] = new_weight;
  rewritten.inputs[2] = new_bias;
}

}  // namespace

int fold_batch_norm(Graph& graph) {
  int folded = 0;
  std::size_t i = 0;
  while (i < graph.nodes.size()) {
    const Node& batch_norm = graph.nodes[i];
    const int producer_index =
        batch_norm.op == op::BatchNorm && all_constant(graph, batch_norm, 1, 4) ? graph.producer(batch_norm.inputs[0]) : -1;
    if (producer_index < 0 || !foldable(graph, graph.nodes[static_cast<std::size_t>(producer_index)], i)) {
      ++i;
      continue;
    }
    const ChannelAffine<double> affine = batch_norm_affine<double>(graph, batch_norm);
    const int producer_output = graph.nodes[static_cast<std::size_t>(producer_index)].outputs[0];
    const int batch_norm_output = batch_norm.outputs[0];
    fold_into(graph, producer_index, affine);
    // Erased at once, so a following BatchNorm sees the producer's true readers.
    graph.nodes.erase(graph.nodes.begin() + static_cast<std::ptrdiff_t>(i));
    replace_uses(graph, batch_norm_output, producer_output);
    ++folded;
  }
  if (folded > 0) graph.compact();
  return folded;
}

}  // namespace edgeport
