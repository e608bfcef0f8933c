#include "quant/quantizer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "core/ops/conv.h"
#include "core/ops/linear.h"
#include "core/error.h"
#include "core/ops/quantization.h"
#include "quant/bias_correction.h"
#include "quant/report.h"
#include "runtime/parallel.h"

namespace edgeport {

namespace {

bool reads_weight(const Node& node) { return (node.op == op::Conv || node.op == op::Linear) && node.inputs.size() >= 2; }

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool kept_float(const Graph& graph, const Node& node, const QuantConfig& config) {
  return listed(config.float_layers, node.name) || listed(config.float_layers, graph.value(node.inputs[1]).name);
}

// An unknown name in --float-layers is a typo that would silently quantize
// the layer the user meant to protect.
void check_float_layer_names(const Graph& graph, const QuantConfig& config) {
  for (const std::string& name : config.float_layers) {
    const bool known = std::any_of(graph.nodes.begin(), graph.nodes.end(), [&](const Node& node) {
      return reads_weight(node) && (node.name == name || graph.value(node.inputs[1]).name == name);
    });
    if (!known) {
      throw Error("--float-layers: the model has no Conv or Linear layer named '" + name + "' (its layers: " +
                  describe_weight_layers(graph) + ")");
    }
  }
}

// Why a weight stays float32; empty when it is quantized.
std::string skip_reason(const Graph& graph, const Node& node, int weight, const QuantConfig& config) {
  if (node.attrs.get_int("frozen", 0) == 1) return "frozen preprocessing filter";
  if (kept_float(graph, node, config)) return "kept in float (--float-layers)";
  if (!graph.is_constant(weight)) {
    const int producer = graph.producer(weight);
    if (producer >= 0 && graph.nodes[static_cast<std::size_t>(producer)].op == op::Dequantize) {
      return "already quantized";
    }
    return "computed, not a constant";
  }
  const Tensor& tensor = graph.constant(weight);
  if (tensor.dtype() != DType::Float32) return std::string(dtype_name(tensor.dtype())) + ", not float32";
  if (tensor.numel() < config.min_elements) {
    return std::to_string(tensor.numel()) + " elements, fewer than min-elements " + std::to_string(config.min_elements);
  }
  return {};
}

const LayerStatistics* statistics_of(const CalibrationStatistics* statistics, const Node& node,
                                     const QuantConfig& config) {
  if (!config.needs_statistics() || statistics == nullptr) return nullptr;
  const auto found = statistics->find(node.name);
  if (found == statistics->end()) {
    throw Error(config.statistics_option() + ": no calibration statistics for layer '" + node.name + "'");
  }
  return &found->second;
}

// Subtracts the mean output shift of the node's quantized weight from its
// bias, as a new float32 constant (the old one may be shared); adds a bias
// when the node has none.
void correct_bias(Graph& graph, std::size_t index, const Tensor& weights, const Tensor& codes,
                  const LayerStatistics& statistics, TensorQuantRecord& record) {
  const std::vector<double> shift = output_shift(weights, codes, statistics);
  Node& node = graph.nodes[index];
  const bool has_bias = node.inputs.size() > 2 && node.inputs[2] != kNoValue;
  if (has_bias && (!graph.is_constant(node.inputs[2]) || graph.constant(node.inputs[2]).dtype() != DType::Float32)) {
    throw Error("--bias-correction: the bias of layer '" + node.name + "' is not a float32 constant");
  }
  const std::string name = has_bias ? graph.value(node.inputs[2]).name + "_corrected" : node.name + ".bias_corrected";
  Tensor bias = corrected_bias(has_bias ? &graph.constant(node.inputs[2]) : nullptr, shift);
  for (std::size_t o = 0; o < shift.size(); ++o) {
    const double before = has_bias ? static_cast<double>(graph.constant(node.inputs[2]).data<float>()[o]) : 0.0;
    record.bias_max_change = std::max(record.bias_max_change, std::fabs(bias.data<float>()[o] - before));
  }
  const int value = graph.add_constant(graph.unique_name(name), std::move(bias));
  Node& reader = graph.nodes[index];
  if (reader.inputs.size() < 3) reader.inputs.resize(3, kNoValue);
  reader.inputs[2] = value;
  record.bias_corrected = true;
  record.bias_added = record.bias_added || !has_bias;
}

std::int64_t constant_bytes(const Graph& graph) {
  std::int64_t total = 0;
  for (const Value& value : graph.values) {
    if (!value.constant) continue;
    total += static_cast<std::int64_t>(value.constant->nbytes());
    if (value.quant) total += static_cast<std::int64_t>(value.quant->scale.size() * (sizeof(float) + 1));
  }
  return total;
}

// Each tensor's quantization (clipping search, adaptive rounding) depends on
// that tensor and its layer's statistics alone, so the tensors are quantized
// on every core first and placed in the graph in order afterwards: the same
// codes whatever the number of threads. Keyed by float weight id; a shared
// weight is quantized once, with its first reader's statistics.
std::map<int, QuantizedTensor> quantize_weights(const Graph& graph, const QuantConfig& config,
                                                const CalibrationStatistics* statistics) {
  std::vector<std::pair<int, const LayerStatistics*>> jobs;
  std::set<int> seen;
  for (const Node& node : graph.nodes) {
    if (!reads_weight(node)) continue;
    const int weight = node.inputs[1];
    if (!skip_reason(graph, node, weight, config).empty() || !seen.insert(weight).second) continue;
    jobs.emplace_back(weight, statistics_of(statistics, node, config));
  }
  std::vector<std::optional<QuantizedTensor>> results(jobs.size());
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  parallel_for(static_cast<std::int64_t>(jobs.size()), threads, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const auto [weight, layer] = jobs[static_cast<std::size_t>(i)];
      results[static_cast<std::size_t>(i)] =
          quantize_tensor(graph.constant(weight), graph.value(weight).name, config, layer);
    }
  });
  std::map<int, QuantizedTensor> quantized;
  for (std::size_t i = 0; i < jobs.size(); ++i) quantized.emplace(jobs[i].first, std::move(*results[i]));
  return quantized;
}

}  // namespace

std::int64_t QuantizationResult::weight_bytes_before() const {
  std::int64_t total = 0;
  for (const TensorQuantRecord& record : tensors) total += record.bytes_before;
  for (const SkippedWeight& weight : skipped) total += weight.bytes;
  return total;
}

std::int64_t QuantizationResult::weight_bytes_after() const {
  std::int64_t total = 0;
  for (const TensorQuantRecord& record : tensors) total += record.bytes_after;
  for (const SkippedWeight& weight : skipped) total += weight.bytes;
  return total;
}

std::vector<std::string> weight_layers(const Graph& graph) {
  std::vector<std::string> names;
  for (const Node& node : graph.nodes) {
    if (reads_weight(node) && node.attrs.get_int("frozen", 0) != 1) names.push_back(node.name);
  }
  return names;
}

std::string describe_weight_layers(const Graph& graph) {
  constexpr std::size_t kShown = 8;
  const std::vector<std::string> names = weight_layers(graph);
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > kShown) text += " and " + std::to_string(names.size() - kShown) + " more";
  return text.empty() ? "none" : text;
}

QuantizationResult quantize_graph(const Graph& folded, const QuantConfig& config,
                                  const CalibrationStatistics* statistics) {
  config.validate();
  if (config.needs_statistics() && statistics == nullptr) {
    throw Error(config.statistics_option() + " needs calibration statistics: quantize with calibration inputs");
  }
  folded.validate();
  check_float_layer_names(folded, config);
  QuantizationResult result{folded, config, {}, {}, 0, 0};
  Graph& graph = result.graph;
  graph.compact();
  result.constant_bytes_before = constant_bytes(graph);
  const std::size_t original_node_count = graph.nodes.size();
  std::map<int, int> dequantized_weight;  // float weight id -> Dequantize output id
  std::map<int, std::pair<int, std::size_t>> quantized_codes;  // float weight id -> codes id, record index
  std::set<int> skipped_weights;
  // Dequantize nodes are appended, then moved in front of their first reader.
  std::map<std::size_t, std::vector<std::size_t>> placed_before;

  std::map<int, QuantizedTensor> quantized_weights = quantize_weights(graph, config, statistics);
  for (std::size_t index = 0; index < original_node_count; ++index) {
    if (!reads_weight(graph.nodes[index])) continue;
    const int weight = graph.nodes[index].inputs[1];
    const std::string node_name = graph.nodes[index].name;
    // Decided per reader: a frozen filter keeps float weights even when
    // another layer shares them.
    const std::string reason = skip_reason(graph, graph.nodes[index], weight, config);
    if (!reason.empty()) {
      if (skipped_weights.insert(weight).second) {
        const Value& value = graph.value(weight);
        const std::int64_t bytes = value.constant ? static_cast<std::int64_t>(value.constant->nbytes()) : 0;
        result.skipped.push_back({value.name, node_name, reason, value.shape, bytes});
      }
      continue;
    }
    const LayerStatistics* layer = statistics_of(statistics, graph.nodes[index], config);
    auto found = dequantized_weight.find(weight);
    if (found == dequantized_weight.end()) {
      const std::string weight_name = graph.value(weight).name;
      QuantizedTensor quantized = std::move(quantized_weights.at(weight));
      quantized.record.node = node_name;
      result.tensors.push_back(std::move(quantized.record));
      const int codes = graph.add_constant(graph.unique_name(weight_name + "_quantized"), std::move(quantized.codes));
      const int output = graph.add(op::Dequantize, graph.unique_name(weight_name + "_dequantized"), {codes});
      placed_before[index].push_back(graph.nodes.size() - 1);
      found = dequantized_weight.emplace(weight, output).first;
      quantized_codes.emplace(weight, std::make_pair(codes, result.tensors.size() - 1));
    }
    // Each reader of a shared weight sees its own inputs, so each corrects
    // its own bias with its own statistics.
    if (config.bias_correction) {
      const auto [codes, record] = quantized_codes.at(weight);
      const Tensor float_weights = graph.constant(weight);
      const Tensor code_tensor = graph.constant(codes);
      correct_bias(graph, index, float_weights, code_tensor, *layer, result.tensors[record]);
    }
    graph.nodes[index].inputs[1] = found->second;
  }

  std::vector<Node> ordered;
  ordered.reserve(graph.nodes.size());
  for (std::size_t index = 0; index < original_node_count; ++index) {
    for (std::size_t dequantize : placed_before[index]) ordered.push_back(std::move(graph.nodes[dequantize]));
    ordered.push_back(std::move(graph.nodes[index]));
  }
  graph.nodes = std::move(ordered);
  graph.compact();
  graph.validate();
  graph.infer_shapes();
  graph.metadata["quantization"] = config_json(config).dump();
  result.constant_bytes_after = constant_bytes(graph);
  return result;
}

}  // namespace edgeport
