#include "quant/static_quantizer.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/input_normalization.h"
#include "core/ops/conv.h"
#include "core/ops/linear.h"
#include "core/ops/pad.h"
#include "core/ops/pool.h"
#include "core/ops/quantization.h"
#include "core/ops/reshape.h"
#include "core/ops/slice.h"
#include "core/ops/transpose.h"
#include "quant/tensor_quantizer.h"
#include "runtime/fixed_point.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

// Ops that only move or select values: their output's codes are their
// input's codes, so they share its parameters (TFLite requires it).
bool moves_values(const std::string& op) {
  return op == op::Pad || op == op::Reshape || op == op::Flatten || op == op::Transpose || op == op::Slice ||
         op == op::MaxPool;
}

bool is_float_activation(const Value& value) { return value.dtype == DType::Float32 && !value.constant; }

bool reads_weight(const Node& node) {
  return (node.op == op::Conv || node.op == op::Linear) && node.inputs.size() >= 2 && node.inputs[1] != kNoValue;
}

QuantParams per_tensor(const AffineParams& params) { return {{params.scale}, {params.zero_point}, -1}; }

// The graph inputs and float node outputs whose ranges calibration measures.
std::vector<int> calibrated_values(const Graph& graph) {
  std::vector<int> values;
  for (int input : graph.inputs) {
    if (is_float_activation(graph.value(input))) values.push_back(input);
  }
  for (const Node& node : graph.nodes) {
    for (int output : node.outputs) {
      if (is_float_activation(graph.value(output))) values.push_back(output);
    }
  }
  return values;
}

// Runs the graph on every calibration set, watching `watched`: one pass for
// the ranges, a second for the histograms when the method needs them.
std::vector<ActivationHistogram> observe(const Graph& graph, const std::vector<int>& watched,
                                         const std::vector<std::vector<Tensor>>& calibration, bool histograms) {
  Graph observed = graph;
  observed.outputs = watched;
  const Session session(observed);
  std::vector<ActivationHistogram> seen(watched.size());
  const auto pass = [&](auto&& add) {
    for (std::size_t set = 0; set < calibration.size(); ++set) {
      const std::vector<Tensor> values = session.run(calibration[set]);
      for (std::size_t i = 0; i < watched.size(); ++i) {
        try {
          add(seen[i], values[i].values<float>());
        } catch (const Error& error) {
          throw Error("calibration set " + std::to_string(set) + ", activation '" + graph.value(watched[i]).name +
                      "': " + error.what());
        }
      }
    }
  };
  pass([](ActivationHistogram& histogram, std::span<const float> values) { histogram.observe_range(values); });
  if (!histograms) return seen;
  for (ActivationHistogram& histogram : seen) histogram.start_histogram();
  pass([](ActivationHistogram& histogram, std::span<const float> values) { histogram.observe_histogram(values); });
  return seen;
}

// Weights that are all integers within the int8 weight range (a fixed
// gradient filter) quantize exactly: per channel, the codes are the integers
// times the largest power of two that keeps them within [-127, 127], the
// scale its inverse. The power of two costs nothing in exactness and gives
// the integer kernels' accumulator that many more bits, so TFLite's
// reference rescale, which rounds twice, rounds the second time far less
// often onto a tie (scale 1 left the gradient filter's rescale a shift of 2,
// and 11% of its codes off by one from rounding once).
std::optional<Tensor> exact_integer_codes(const Tensor& weights) {
  const auto values = weights.values<float>();
  for (float value : values) {
    if (value != std::nearbyint(value) || std::fabs(value) > 127.0f) return std::nullopt;
  }
  const auto channels = static_cast<std::size_t>(weights.dim(0));
  const std::size_t per_channel = values.size() / channels;
  std::vector<std::int8_t> codes(values.size());
  QuantParams params{{}, std::vector<std::int32_t>(channels, 0), 0};
  for (std::size_t c = 0; c < channels; ++c) {
    const auto channel = values.subspan(c * per_channel, per_channel);
    float largest = 0.0f;
    for (float value : channel) largest = std::max(largest, std::fabs(value));
    float factor = 1.0f;
    while (largest > 0.0f && largest * factor * 2.0f <= 127.0f) factor *= 2.0f;
    for (std::size_t i = 0; i < per_channel; ++i) {
      codes[c * per_channel + i] = static_cast<std::int8_t>(channel[i] * factor);
    }
    params.scale.push_back(1.0f / factor);
  }
  Tensor tensor = Tensor::from_vector<std::int8_t>(weights.shape(), codes);
  tensor.quant = std::move(params);
  return tensor;
}

// The weight and bias codes of a per-channel scale and shift that reads raw
// pixels (the folded input normalisation: a 1x1 depthwise convolution on the
// 256 pixel codes).
struct PixelAffineCodes {
  Tensor weight;
  Tensor bias;
};

// Each channel's one weight is exact at any code, and its bias within a code
// or two of the accumulator's scale is as good (about 1% of an output step).
// Among weight codes 127 down to 64 and bias codes up to two steps from the
// nearest, take the first whose rescale gives every pixel the same result
// rounding twice (TFLite's reference arithmetic) as rounding once (TFLite's
// single-rounding builds, and LiteRT's float requantization), else the one
// with the fewest pixels apart: at code 127 and the nearest bias a few pixel
// values per channel land on a tie of the second rounding, and every pixel
// of that value in every photo then starts one code off.
PixelAffineCodes pixel_affine_codes(const Tensor& weights, const Tensor& bias, const AffineParams& input,
                                    const AffineParams& output) {
  const auto values = weights.values<float>();
  const auto offsets = bias.values<float>();
  const std::size_t channels = values.size();
  std::vector<std::int8_t> weight_codes(channels);
  std::vector<std::int32_t> bias_codes(channels);
  QuantParams weight_params{{}, std::vector<std::int32_t>(channels, 0), 0};
  QuantParams bias_params{{}, std::vector<std::int32_t>(channels, 0), 0};
  for (std::size_t c = 0; c < channels; ++c) {
    const float magnitude = std::max(std::fabs(values[c]), kMinScale);
    int fewest = std::numeric_limits<int>::max();
    int best_code = 127;
    for (int code = 127; code >= 64 && fewest > 0; --code) {
      const float scale = magnitude / static_cast<float>(code);
      const float bias_scale = input.scale * scale;
      const double nearest = std::nearbyint(static_cast<double>(offsets[c]) / static_cast<double>(bias_scale));
      if (!(std::fabs(nearest) < 1e9)) throw Error("bias of the input normalisation is not finite");
      const QuantizedMultiplier multiplier =
          quantize_multiplier(static_cast<double>(input.scale) * scale / static_cast<double>(output.scale));
      for (int nudge : {0, -1, 1, -2, 2}) {
        const auto offset = static_cast<std::int32_t>(nearest) + nudge;
        int apart = 0;
        for (int pixel = -128; pixel <= 127; ++pixel) {
          const std::int32_t sum = code * (pixel - input.zero_point) + offset;
          apart += multiply_by_quantized_multiplier(sum, multiplier) !=
                   multiply_by_quantized_multiplier_single_rounding(sum, multiplier);
        }
        if (apart >= fewest) continue;
        fewest = apart;
        best_code = code;
        bias_codes[c] = offset;
        if (apart == 0) break;
      }
    }
    weight_codes[c] = static_cast<std::int8_t>(values[c] < 0.0f ? -best_code : best_code);
    weight_params.scale.push_back(magnitude / static_cast<float>(best_code));
    bias_params.scale.push_back(input.scale * weight_params.scale.back());
  }
  PixelAffineCodes codes{Tensor::from_vector<std::int8_t>(weights.shape(), weight_codes),
                         Tensor::from_vector<std::int32_t>({static_cast<std::int64_t>(channels)}, bias_codes)};
  codes.weight.quant = std::move(weight_params);
  codes.bias.quant = std::move(bias_params);
  return codes;
}

// int32 codes of a float bias at scale input scale x weight scale (per
// channel), zero point 0, so that the integer kernel adds them to its
// accumulator as they are.
Tensor bias_codes(const Tensor& bias, const std::string& name, float input_scale, const QuantParams& weight) {
  const auto channels = static_cast<std::size_t>(bias.numel());
  if (weight.scale.size() != channels && weight.scale.size() != 1) {
    throw Error("bias '" + name + "': " + std::to_string(channels) + " values for " +
                std::to_string(weight.scale.size()) + " weight scales");
  }
  QuantParams params{{}, std::vector<std::int32_t>(channels, 0), 0};
  std::vector<std::int32_t> codes(channels);
  const auto values = bias.values<float>();
  for (std::size_t c = 0; c < channels; ++c) {
    const float scale = input_scale * weight.scale[weight.scale.size() == 1 ? 0 : c];
    params.scale.push_back(scale);
    const double code = std::nearbyint(static_cast<double>(values[c]) / static_cast<double>(scale));
    if (!std::isfinite(code)) throw Error("bias '" + name + "': value " + std::to_string(values[c]) + " is not finite");
    codes[c] = static_cast<std::int32_t>(std::clamp(code, static_cast<double>(std::numeric_limits<std::int32_t>::min()),
                                                    static_cast<double>(std::numeric_limits<std::int32_t>::max())));
  }
  Tensor tensor = Tensor::from_vector<std::int32_t>({static_cast<std::int64_t>(channels)}, codes);
  tensor.quant = params;
  return tensor;
}

class QdqBuilder {
 public:
  QdqBuilder(const Graph& source, std::map<int, AffineParams> measured, StaticQuantization& result)
      : source_(source), measured_(std::move(measured)), result_(result), mapped_(source.values.size(), kNoValue) {}

  Graph build() {
    out_.metadata = source_.metadata;
    for (int input : source_.inputs) {
      const Value& value = source_.value(input);
      const int id = out_.add_input(value.name, value.dtype, value.shape);
      mapped_[static_cast<std::size_t>(input)] =
          is_float_activation(value) && !stays_float(input) ? quantize_activation(input, id) : id;
    }
    for (const Node& node : source_.nodes) add(node);
    for (int output : source_.outputs) out_.mark_output(mapped(output));
    for (std::size_t i = 0; i < source_.outputs.size(); ++i) {
      out_.value(out_.outputs[i]).name = source_.value(source_.outputs[i]).name;
    }
    out_.validate();
    return std::move(out_);
  }

 private:
  bool is_float_layer(const Node& node) const {
    const std::vector<std::string>& names = result_.config.float_layers;
    return std::find(names.begin(), names.end(), node.name) != names.end();
  }

  // Read by float layers alone, and no graph output.
  bool stays_float(int source_id) const {
    if (std::find(source_.outputs.begin(), source_.outputs.end(), source_id) != source_.outputs.end()) return false;
    const std::vector<int> readers = source_.consumers(source_id);
    return !readers.empty() && std::all_of(readers.begin(), readers.end(), [this](int reader) {
      return is_float_layer(source_.nodes[static_cast<std::size_t>(reader)]);
    });
  }

  int mapped(int source_id) {
    if (source_id == kNoValue) return kNoValue;
    int& id = mapped_.at(static_cast<std::size_t>(source_id));
    if (id == kNoValue) {
      const Value& value = source_.value(source_id);
      if (!value.constant) throw Error("value '" + value.name + "' is read before it is computed");
      id = out_.add_constant(value.name, *value.constant);
    }
    return id;
  }

  const AffineParams& params_of(int source_id, const Node& reader) const {
    const auto found = chosen_.find(source_id);
    if (found == chosen_.end()) {
      throw Error("node '" + reader.name + "' (" + reader.op + "): input '" + source_.value(source_id).name +
                  "' is not a quantized activation");
    }
    return found->second;
  }

  // Quantize -> Dequantize after the float value `id` of the output graph,
  // standing for source value `source_id`; returns the Dequantize's output.
  int quantize_activation(int source_id, int id, const AffineParams* inherited = nullptr) {
    const std::string& name = source_.value(source_id).name;
    const AffineParams params = inherited ? *inherited : measured_.at(source_id);
    chosen_[source_id] = params;
    result_.activations[name] = params;
    if (std::find(source_.outputs.begin(), source_.outputs.end(), source_id) != source_.outputs.end()) {
      out_.value(id).name = out_.unique_name(name + "_float");
    }
    const int codes = out_.add(op::Quantize, out_.unique_name(name + "_quantize"), {id});
    out_.value(codes).quant = per_tensor(params);
    return out_.add(op::Dequantize, out_.unique_name(name + "_dequantize"), {codes});
  }

  int dequantized_constant(const std::string& name, Tensor codes) {
    const int id = out_.add_constant(out_.unique_name(name + "_quantized"), std::move(codes));
    return out_.add(op::Dequantize, out_.unique_name(name + "_dequantized"), {id});
  }

  // A 1x1 depthwise convolution with a bias on the raw-pixel input, whose
  // output is quantized: the folded input normalisation.
  bool scales_raw_pixels(const Node& node) const {
    if (node.op != op::Conv || source_.inputs.empty() || node.inputs[0] != source_.inputs[0]) return false;
    if (!takes_raw_pixels(source_) || node.inputs.size() < 3 || node.inputs[2] == kNoValue) return false;
    if (!source_.is_constant(node.inputs[2]) || !measured_.count(node.outputs[0]) || stays_float(node.outputs[0])) {
      return false;
    }
    const Shape& shape = source_.constant(node.inputs[1]).shape();
    return shape.size() == 4 && shape[1] == 1 && shape[2] == 1 && shape[3] == 1 &&
           node.attrs.get_int("group", 1) == shape[0];
  }

  // The weight's int8 codes and parameters, shared by every reader.
  const Tensor& weight_codes(const Node& node) {
    const int weight = node.inputs[1];
    const auto found = weights_.find(weight);
    if (found != weights_.end()) return found->second;
    const Value& value = source_.value(weight);
    std::optional<Tensor> exact =
        node.attrs.get_int("frozen", 0) == 1 ? exact_integer_codes(*value.constant) : std::nullopt;
    if (exact) {
      result_.exact_weights.push_back(value.name);
      return weights_.emplace(weight, std::move(*exact)).first->second;
    }
    if (scales_raw_pixels(node)) {
      PixelAffineCodes codes = pixel_affine_codes(*value.constant, source_.constant(node.inputs[2]),
                                                  params_of(node.inputs[0], node), measured_.at(node.outputs[0]));
      biases_.emplace(node.inputs[2], std::move(codes.bias));
      return weights_.emplace(weight, std::move(codes.weight)).first->second;
    }
    QuantConfig symmetric;
    symmetric.symmetric = true;
    symmetric.clip = ClipMethod::None;
    return weights_.emplace(weight, quantize_tensor(*value.constant, value.name, symmetric).codes).first->second;
  }

  void add(const Node& node) {
    Node copy = node;
    copy.outputs.clear();
    for (int& input : copy.inputs) input = mapped(input);
    const bool quantized_weight = !is_float_layer(node) && reads_weight(node) && source_.is_constant(node.inputs[1]) &&
                                  source_.constant(node.inputs[1]).dtype() == DType::Float32;
    if (quantized_weight) {
      const Tensor& weight = weight_codes(node);
      copy.inputs[1] = dequantized_constant(source_.value(node.inputs[1]).name, weight);
      if (node.inputs.size() > 2 && node.inputs[2] != kNoValue) {
        const Value& bias = source_.value(node.inputs[2]);
        if (!bias.constant || bias.constant->dtype() != DType::Float32) {
          throw Error("node '" + node.name + "': bias '" + bias.name + "' is not a float32 constant");
        }
        const float input_scale = params_of(node.inputs[0], node).scale;
        const auto chosen = biases_.find(node.inputs[2]);
        copy.inputs[2] = dequantized_constant(bias.name, chosen != biases_.end()
                                                             ? chosen->second
                                                             : bias_codes(*bias.constant, bias.name, input_scale,
                                                                          *weight.quant));
      }
    }
    const std::vector<int> outputs = out_.add_node(copy.op, copy.name, copy.inputs, copy.attrs);
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      const int source_output = node.outputs[i];
      if (!is_float_activation(source_.value(source_output)) || stays_float(source_output)) {
        mapped_[static_cast<std::size_t>(source_output)] = outputs[i];
        continue;
      }
      const AffineParams* inherited = moves_values(node.op) ? &params_of(node.inputs[0], node) : nullptr;
      mapped_[static_cast<std::size_t>(source_output)] = quantize_activation(source_output, outputs[i], inherited);
    }
  }

  const Graph& source_;
  std::map<int, AffineParams> measured_;
  StaticQuantization& result_;
  std::vector<int> mapped_;  // source value id -> the output graph's float value
  std::map<int, AffineParams> chosen_;  // source value id -> its Quantize's parameters
  std::map<int, Tensor> weights_;  // source weight id -> int8 codes
  std::map<int, Tensor> biases_;   // source bias id -> int32 codes chosen with their weight's
  Graph out_;
};

}  // namespace

void StaticQuantConfig::validate() const {
  if (!(percentile > 50.0 && percentile <= 100.0)) {
    throw Error("--calibration-percentile must be in (50, 100], got " + std::to_string(percentile));
  }
}

StaticQuantization quantize_static(const Graph& folded, const std::vector<std::vector<Tensor>>& calibration,
                                   const StaticQuantConfig& config) {
  config.validate();
  folded.validate();
  if (calibration.empty()) throw Error("full int8 quantization needs at least one calibration input");
  for (const std::string& layer : config.float_layers) {
    const bool found = std::any_of(folded.nodes.begin(), folded.nodes.end(), [&layer](const Node& node) {
      return node.name == layer && (node.op == op::Conv || node.op == op::Linear);
    });
    if (!found) throw Error("--float-layers: the model has no Conv or Linear named '" + layer + "'");
  }
  const std::vector<int> watched = calibrated_values(folded);
  const std::vector<ActivationHistogram> histograms =
      observe(folded, watched, calibration, config.method != CalibrationMethod::MinMax);
  std::map<int, AffineParams> measured;
  for (std::size_t i = 0; i < watched.size(); ++i) {
    measured[watched[i]] = choose_activation_params(histograms[i], config.method, config.percentile);
  }
  // Raw pixels are the integers 0..255: at scale 1 every one is its own code,
  // where a calibrated range would round them or clip the brightest.
  if (takes_raw_pixels(folded)) {
    for (int input : folded.inputs) measured[input] = AffineParams{1.0f, -128};
  }
  StaticQuantization result;
  result.config = config;
  result.graph = QdqBuilder(folded, std::move(measured), result).build();
  return result;
}

}  // namespace edgeport
