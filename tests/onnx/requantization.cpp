#include "requantization.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "runtime/session.h"

namespace edgeport::onnx_test {
namespace {

double max_abs(const Tensor& tensor) {
  double result = 0.0;
  // A local keeps the converted tensor alive for the loop (a temporary's
  // span would dangle); NaN sticks.
  const Tensor values = tensor.to_float32();
  for (float value : values.values<float>()) {
    if (!(std::fabs(value) <= result)) result = std::fabs(value);
  }
  return result;
}

// max over output channels of sum |w| over one output's inputs.
double row_sum_norm(const Tensor& weight) {
  const Tensor values = weight.quant ? weight.dequantized() : weight.to_float32();
  const std::int64_t rows = values.dim(0);
  const std::int64_t per_row = values.numel() / rows;
  double worst = 0.0;
  for (std::int64_t r = 0; r < rows; ++r) {
    double sum = 0.0;
    for (std::int64_t i = 0; i < per_row; ++i) sum += std::fabs(values.data<float>()[r * per_row + i]);
    worst = std::max(worst, sum);
  }
  return worst;
}

// The integer codes, with their parameters, of a quantized weight: a
// constant with parameters (hybrid) or a Dequantize of one. Nothing for a
// float weight.
std::optional<Tensor> quantized_codes(const Graph& graph, int weight) {
  int source = weight;
  if (const int producer = graph.producer(weight); producer >= 0) {
    const Node& node = graph.nodes[static_cast<std::size_t>(producer)];
    if (node.op != "Dequantize") return std::nullopt;
    source = node.inputs.at(0);
  }
  const Value& codes = graph.value(source);
  if (!codes.constant || is_floating(codes.dtype)) return std::nullopt;
  Tensor quantized = *codes.constant;
  if (codes.quant) quantized.quant = codes.quant;
  if (!quantized.quant) return std::nullopt;
  return quantized;
}

const Tensor& weight_values(const Graph& graph, int weight, Tensor& storage) {
  if (std::optional<Tensor> quantized = quantized_codes(graph, weight)) {
    storage = std::move(*quantized);
    return storage;
  }
  return graph.constant(weight);
}

}  // namespace

double requantization_bound(const Graph& graph, const Tensor& input) {
  // Every intermediate activation of the reference run.
  Graph probed = graph;
  probed.outputs.clear();
  for (const Node& node : probed.nodes) {
    for (int output : node.outputs) probed.mark_output(output);
  }
  const std::vector<Tensor> activations = Session(probed).run({input});
  std::vector<const Tensor*> activation(graph.values.size(), nullptr);
  activation.at(static_cast<std::size_t>(graph.inputs.at(0))) = &input;
  for (std::size_t i = 0; i < probed.outputs.size(); ++i) {
    activation[static_cast<std::size_t>(probed.outputs[i])] = &activations[i];
  }

  std::vector<double> error(graph.values.size(), 0.0);
  auto error_of = [&](int value) { return value == kNoValue ? 0.0 : error[static_cast<std::size_t>(value)]; };
  auto range_of = [&](int value) {
    const Tensor& x = graph.is_constant(value) ? graph.constant(value) : *activation[static_cast<std::size_t>(value)];
    float low = 0.0f, high = 0.0f;
    for (float v : x.values<float>()) {
      low = std::min(low, v);
      high = std::max(high, v);
    }
    return static_cast<double>(high - low);
  };
  for (const Node& node : graph.nodes) {
    const double e0 = node.inputs.empty() ? 0.0 : error_of(node.inputs[0]);
    double out = 0.0;
    const std::string& op = node.op;
    if (op == "Conv" || op == "Linear") {
      Tensor storage;
      const Tensor& weight = weight_values(graph, node.inputs.at(1), storage);
      double input_error = e0;
      if (quantized_codes(graph, node.inputs[1])) {
        const double scale = (range_of(node.inputs[0]) + 2.0 * e0) / 255.0;
        input_error += scale / 2.0;
      }
      out = row_sum_norm(weight) * input_error;
    } else if (op == "Dequantize") {
      out = graph.is_constant(node.inputs[0]) ? 0.0 : e0;
    } else if (op == "Relu" || op == "Relu6" || op == "MaxPool" || op == "AvgPool" || op == "GlobalAveragePool" ||
               op == "Mean" || op == "Flatten" || op == "Reshape" || op == "Transpose" || op == "Resize" ||
               op == "Pad") {
      out = e0;
    } else if (op == "Concat") {
      for (int in : node.inputs) out = std::max(out, error_of(in));
    } else if (op == "Add" || op == "Sub") {
      out = e0 + error_of(node.inputs.at(1));
    } else if (op == "Mul") {
      const int a = node.inputs.at(0), b = node.inputs.at(1);
      const double magnitude_a = graph.is_constant(a) ? max_abs(graph.constant(a)) : max_abs(*activation[static_cast<std::size_t>(a)]);
      const double magnitude_b = graph.is_constant(b) ? max_abs(graph.constant(b)) : max_abs(*activation[static_cast<std::size_t>(b)]);
      out = magnitude_a * error_of(b) + magnitude_b * error_of(a) + error_of(a) * error_of(b);
    } else if (op == "BatchNorm") {
      const Tensor& gamma = graph.constant(node.inputs.at(1));
      const Tensor& variance = graph.constant(node.inputs.at(4));
      const double epsilon = node.attrs.get_float("epsilon", 1e-5);
      double gain = 0.0;
      for (std::int64_t c = 0; c < gamma.numel(); ++c) {
        gain = std::max(gain, std::fabs(gamma.data<float>()[c]) / std::sqrt(variance.data<float>()[c] + epsilon));
      }
      out = gain * e0;
    } else if (op == "Sigmoid") {
      out = e0 / 4.0;
    } else if (op == "HardSwish") {
      out = 1.5 * e0;
    } else {
      throw Error("requantization_bound: op " + op + " is not covered");
    }
    for (int output : node.outputs) error[static_cast<std::size_t>(output)] = out;
  }
  double bound = 0.0;
  for (int output : graph.outputs) bound = std::max(bound, error_of(output));
  return bound;
}

}  // namespace edgeport::onnx_test
