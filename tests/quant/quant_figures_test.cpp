// Measures every quantization mode on Tiny-LaDeDa and writes the tables of
// docs/quantization.md to <build>/quantization_figures.md (and stdout):
//   ./build/test_quant --gtest_filter='QuantFigures.*'
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include "quant/affine.h"
#include "pipeline/compare_models.h"
#include "quant/quantizer.h"
#include "quant_fixtures.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

std::string fixed(double value, int decimals) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string scientific(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2e", value);
  return buffer;
}

std::vector<LabelledInputs> fixture_inputs() {
  std::vector<LabelledInputs> inputs;
  for (const quant_test::FixtureCase& item : quant_test::tiny_ladeda_cases())
    inputs.push_back({item.input_file, {item.input}});
  return inputs;
}

// SQNR over all quantized weights together, from the float weights and the
// graph's int8 codes.
double weight_sqnr(const Graph& folded, const QuantizationResult& result) {
  double signal = 0.0;
  double noise = 0.0;
  for (const TensorQuantRecord& record : result.tensors) {
    for (float value : folded.constant(folded.find_value(record.name)).values<float>()) signal += double(value) * value;
    noise += record.mse * static_cast<double>(record.elements());
  }
  return sqnr_db(signal, noise);
}

std::vector<QuantConfig> clip_modes() {
  QuantConfig none;
  none.clip = ClipMethod::None;
  QuantConfig tensor_scope;
  tensor_scope.clip_scope = ClipScope::Tensor;
  QuantConfig seed = tensor_scope;
  seed.clip_guard = false;
  QuantConfig mse;
  mse.clip = ClipMethod::Mse;
  return {none, QuantConfig{}, tensor_scope, seed, mse};
}

std::string clip_label(const QuantConfig& config) {
  if (config.clip == ClipMethod::None) return "none";
  std::string label = config.clip == ClipMethod::Percentile ? "percentile 99.9" : "MSE search";
  if (config.per_channel) label += config.clip_scope == ClipScope::Channel ? ", per-channel clip" : ", per-tensor clip";
  label += config.clip_guard ? ", guard" : ", no guard";
  const QuantConfig defaults;
  if (config.clip == defaults.clip && config.clip_scope == defaults.clip_scope && config.clip_guard &&
      config.per_channel && !config.symmetric) {
    label += " (default)";
  }
  if (config.clip == ClipMethod::Percentile && config.clip_scope == ClipScope::Tensor && !config.clip_guard) {
    label += " (seed)";
  }
  return label;
}

// The seed guide's symmetric formula, scale = 2*absmax/(qmax-qmin) with codes
// in [qmin, qmax], applied to the codes of a symmetric no-clip result.
QuantizationResult with_seed_symmetric_scale(const Graph& folded, QuantizationResult result, int bits) {
  const CodeRange full = code_range(bits, false);
  for (TensorQuantRecord& record : result.tensors) {
    const Tensor& weights = folded.constant(folded.find_value(record.name));
    Value& codes_value = result.graph.value(result.graph.find_value(record.name + "_quantized"));
    Tensor& codes = *codes_value.constant;
    const std::size_t channels = record.scale.size();
    const std::size_t channel_size = static_cast<std::size_t>(weights.numel()) / channels;
    double noise = 0.0;
    for (std::size_t c = 0; c < channels; ++c) {
      const float* values = weights.data<float>() + c * channel_size;
      double absmax = 0.0;
      for (std::size_t i = 0; i < channel_size; ++i) absmax = std::max(absmax, std::fabs(double(values[i])));
      const AffineParams params{std::max(static_cast<float>(2.0 * absmax / (full.hi - full.lo)), kMinScale), 0};
      record.scale[c] = params.scale;
      for (std::size_t i = 0; i < channel_size; ++i) {
        const std::int32_t code = quantize_value(values[i], params, full);
        codes.data<std::int8_t>()[c * channel_size + i] = static_cast<std::int8_t>(code);
        const double error = double(values[i]) - double(dequantize_value(code, params));
        noise += error * error;
      }
    }
    record.mse = noise / static_cast<double>(record.elements());
    codes.quant->scale = record.scale;
    codes_value.quant = codes.quant;
  }
  return result;
}

TEST(QuantFigures, WritesTheModeTables) {
  const Graph folded = quant_test::folded_tiny_ladeda();
  const std::vector<LabelledInputs> inputs = fixture_inputs();
  std::string text;
  text +=
      "Tiny-LaDeDa (tests/fixtures/models/tiny_ladeda_right_diag.pt, BatchNorm folded); quantized patch-logit map "
      "against the float model on randn_256.npy and astronaut_256.npy, pooled over both; weight SQNR over all "
      "quantized weights; bytes are the layer weights.\n\n";
  text +=
      "| bits | scheme | granularity | clipping | weight SQNR dB | model SQNR dB | max abs diff | cosine | "
      "rejected clips | weight bytes |\n|---|---|---|---|---|---|---|---|---|---|\n";
  std::map<std::string, double> model_sqnr;
  for (int bits : {8, 4, 2}) {
    for (bool symmetric : {false, true}) {
      for (bool per_channel : {true, false}) {
        for (QuantConfig config : clip_modes()) {
          // Per tensor, the clip scopes coincide and the seed's unguarded clip is shown per channel only.
          if (!per_channel && config.clip_scope == ClipScope::Tensor) continue;
          config.bits = bits;
          config.symmetric = symmetric;
          config.per_channel = per_channel;
          const QuantizationResult result = quantize_graph(folded, config);
          const ModelComparison comparison = compare_models(folded, result.graph, inputs).overall;
          int rejected = 0;
          for (const TensorQuantRecord& record : result.tensors) rejected += record.rejected_clips();
          const std::string key =
              std::to_string(bits) + (symmetric ? "s" : "a") + (per_channel ? "c" : "t") + " " + clip_label(config);
          model_sqnr[key] = comparison.sqnr_db;
          text += "| " + std::to_string(bits) + " | " + (symmetric ? "symmetric" : "asymmetric") + " | " +
                  (per_channel ? "per channel" : "per tensor") + " | " + clip_label(config) + " | " +
                  fixed(weight_sqnr(folded, result), 2) + " | " + fixed(comparison.sqnr_db, 2) + " | " +
                  scientific(comparison.max_abs_diff) + " | " + fixed(comparison.cosine_similarity, 6) + " | " +
                  std::to_string(rejected) + " | " + std::to_string(result.weight_bytes_before()) + " -> " +
                  std::to_string(result.weight_bytes_after()) + " |\n";
        }
      }
    }
  }
  const std::string default_key = "8ac percentile 99.9, per-channel clip, guard (default)";
  EXPECT_GE(model_sqnr.at(default_key), 40.0);
  for (const char* scheme : {"ac", "sc", "at", "st"}) {
    EXPECT_GT(model_sqnr.at(std::string("8") + scheme + " none"), model_sqnr.at(std::string("4") + scheme + " none"));
    EXPECT_GT(model_sqnr.at(std::string("4") + scheme + " none"), model_sqnr.at(std::string("2") + scheme + " none"));
  }

  text +=
      "\nDefault settings (8 bits, asymmetric, per channel, percentile 99.9 per-channel clip, guard), per "
      "fixture input, against our float graph and against PyTorch's float output.\n\n";
  text += "| input | reference | SQNR dB | max abs diff | mean abs diff | cosine |\n|---|---|---|---|---|---|\n";
  const QuantizationResult default_result = quantize_graph(folded, QuantConfig{});
  for (const quant_test::FixtureCase& item : quant_test::tiny_ladeda_cases()) {
    const Tensor quantized_output = run_graph(default_result.graph, item.input);
    for (const auto& [label, reference] : {std::pair<std::string, Tensor>{"float graph", run_graph(folded, item.input)},
                                           {"PyTorch", item.torch_output}}) {
      const ModelComparison comparison = compare_outputs(reference, quantized_output);
      EXPECT_GE(comparison.sqnr_db, 40.0) << item.input_file << " vs " << label;
      text += "| " + item.input_file + " | " + label + " | " + fixed(comparison.sqnr_db, 2) + " | " +
              scientific(comparison.max_abs_diff) + " | " + scientific(comparison.mean_abs_diff) + " | " +
              fixed(comparison.cosine_similarity, 6) + " |\n";
    }
  }

  text +=
      "\nSymmetric scale, per channel, no clipping: ours (absmax/qmax, codes in [-qmax, qmax]) against the seed "
      "guide's (2*absmax/(qmax-qmin), codes in [qmin, qmax]).\n\n";
  text += "| bits | formula | weight SQNR dB | model SQNR dB | max abs diff |\n|---|---|---|---|---|\n";
  for (int bits : {8, 4, 2}) {
    QuantConfig config;
    config.bits = bits;
    config.symmetric = true;
    config.clip = ClipMethod::None;
    const QuantizationResult ours = quantize_graph(folded, config);
    const QuantizationResult seed = with_seed_symmetric_scale(folded, ours, bits);
    for (const auto& [label, result] : {std::pair<std::string, const QuantizationResult&>{"absmax/qmax (ours)", ours},
                                        {"2*absmax/(qmax-qmin) (seed)", seed}}) {
      const ModelComparison comparison = compare_models(folded, result.graph, inputs).overall;
      text += "| " + std::to_string(bits) + " | " + label + " | " + fixed(weight_sqnr(folded, result), 2) + " | " +
              fixed(comparison.sqnr_db, 2) + " | " + scientific(comparison.max_abs_diff) + " |\n";
    }
  }

  text += "\nOne large weight: channel " + std::to_string(quant_test::kLargeWeightChannel) + " of " +
          quant_test::kLargeWeightTensor +
          " given a weight 8x its largest magnitude (the float model changes with it); 8 bits, asymmetric, per "
          "channel.\n\n";
  text += "| clipping | clip of that channel | model SQNR dB | max abs diff |\n|---|---|---|---|\n";
  Graph outlier = folded;
  quant_test::inject_large_weight(outlier);
  for (QuantConfig config : clip_modes()) {
    const QuantizationResult result = quantize_graph(outlier, config);
    const ModelComparison comparison = compare_models(outlier, result.graph, inputs).overall;
    std::string decision = "off";
    for (const TensorQuantRecord& record : result.tensors) {
      if (record.name != quant_test::kLargeWeightTensor || record.clip_value.empty()) continue;
      const auto channel = static_cast<std::size_t>(quant_test::kLargeWeightChannel);
      decision = record.clip_applied[channel]    ? "applied"
                 : record.clip_rejected[channel] ? "refused by the guard"
                                                 : "clips nothing";
    }
    text += "| " + clip_label(config) + " | " + decision + " | " + fixed(comparison.sqnr_db, 2) + " | " +
            scientific(comparison.max_abs_diff) + " |\n";
  }

  const std::filesystem::path path = std::filesystem::path(EDGEPORT_BINARY_DIR) / "quantization_figures.md";
  std::ofstream(path) << text;
  std::cout << text;
}

}  // namespace
}  // namespace edgeport
