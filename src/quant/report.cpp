#include "quant/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <numeric>
#include <sstream>

#include "quant/affine.h"
#include "quant/clipping.h"

namespace edgeport {

namespace {

std::string number(double value, int digits = 4) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
}

std::string decibels(double value) {
  if (std::isinf(value)) return value > 0 ? "inf dB (exact)" : "-inf dB";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f dB", value);
  return buffer;
}

std::string percent(double fraction) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3g%%", 100.0 * fraction);
  return buffer;
}

nlohmann::json finite_or_null(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(); }

// Up to `limit` entries, then how many more.
template <typename T, typename Format>
std::string list(const std::vector<T>& items, Format format, std::size_t limit = 16) {
  std::string text = "[";
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) text += (i ? ", " : "") + format(items[i]);
  if (items.size() > limit) text += ", ... " + std::to_string(items.size() - limit) + " more";
  return text + "]";
}

std::vector<std::size_t> flagged(const std::vector<bool>& flags) {
  std::vector<std::size_t> indices;
  for (std::size_t i = 0; i < flags.size(); ++i) {
    if (flags[i]) indices.push_back(i);
  }
  return indices;
}

std::string clipping_description(const QuantConfig& config) {
  if (config.clip == ClipMethod::None) return "none";
  std::string text = config.clip == ClipMethod::Percentile ? "percentile " + number(config.clip_percentile, 6) + " of |x|"
                     : config.clip == ClipMethod::Mse
                         ? "MSE-optimal (" + std::to_string(kMseClipCandidates) + " candidates)"
                         : "output-error-optimal on calibration data (" + std::to_string(kMseClipCandidates) +
                               " candidates)";
  const bool per_channel_scope = config.per_channel && config.clip_scope == ClipScope::Channel;
  text += per_channel_scope ? ", one clip value per output channel" : ", one clip value per tensor";
  const std::string measure = config.clip == ClipMethod::Output ? "output error" : "MSE";
  text += config.clip_guard ? "; guard on (a clip that raises a channel's " + measure + " is not applied)" : "; guard off";
  return text;
}

// clipping_description in a few words, for the short report.
std::string short_clipping(const QuantConfig& config) {
  if (config.clip == ClipMethod::None) return "off";
  std::string text = config.clip == ClipMethod::Percentile ? "percentile " + number(config.clip_percentile, 6)
                     : config.clip == ClipMethod::Mse      ? std::string("MSE-optimal")
                                                           : std::string("output-error-optimal");
  text += config.per_channel && config.clip_scope == ClipScope::Channel ? " per channel" : " per tensor";
  return text + (config.clip_guard ? " (guarded)" : "");
}

std::string byte_change(std::int64_t before, std::int64_t after) {
  std::string text = std::to_string(before) + " B -> " + std::to_string(after) + " B";
  if (after > 0) text += " (" + number(static_cast<double>(before) / static_cast<double>(after), 3) + "x smaller)";
  return text;
}

void append_comparison(std::string& text, const std::string& label, const ModelComparison& comparison) {
  text += "  " + label + ": max abs diff " + number(comparison.max_abs_diff) + ", mean abs diff " +
          number(comparison.mean_abs_diff) + ", SQNR " + decibels(comparison.sqnr_db) + ", cosine " +
          number(comparison.cosine_similarity, 8) + "\n";
}

std::string channels(std::size_t count) { return std::to_string(count) + (count == 1 ? " channel" : " channels"); }

std::string layout_description(const TensorQuantRecord& record) {
  if (record.axis < 0) return "per tensor";
  return "per channel along axis " + std::to_string(record.axis) + ", " + channels(record.scale.size());
}

std::string clip_description(const TensorQuantRecord& record) {
  if (record.clip_value.empty()) return "off";
  const auto [lowest, highest] = std::minmax_element(record.clip_value.begin(), record.clip_value.end());
  std::string text = *lowest == *highest ? number(*lowest) : number(*lowest) + " to " + number(*highest);
  text += "; clipped " + std::to_string(record.clipped_values) + " values (" + percent(record.clipped_fraction()) + ")";
  if (record.axis >= 0) {
    text += " in " + std::to_string(record.applied_clips()) + " of " + channels(record.clip_applied.size());
  }
  return text;
}

std::string guard_description(const TensorQuantRecord& record, const QuantConfig& config) {
  const std::string reason = config.clip == ClipMethod::Output ? "clipping would raise the layer output error"
                                                               : "clipping would raise the reconstruction MSE";
  if (record.axis < 0) return reason + "; kept the tensor's full range";
  const std::string channels =
      list(flagged(record.clip_rejected), [](std::size_t index) { return std::to_string(index); });
  return reason + "; kept the full range of channels " + channels;
}

void append_calibration(std::string& text, const TensorQuantRecord& record) {
  text += "  rounding: " + record.rounding;
  if (record.rounding == "adaptive") text += " (" + std::to_string(record.rounding_flips) + " weights rounded away from nearest)";
  text += "\n";
  if (record.statistics_diagonal) {
    text += "  calibration statistics: diagonal of H only (patch too large for the full matrix); the output error "
            "ignores cross terms between weights";
    text += record.rounding == "nearest (diagonal statistics)" ? ", so adaptive rounding reduces to nearest\n" : "\n";
  }
  if (record.bias_corrected) {
    text += std::string("  bias correction: ") + (record.bias_added ? "added a float32 bias, " : "") +
            "largest change " + number(record.bias_max_change) + "\n";
  }
  text += "  estimated layer output SQNR on calibration data: " + decibels(record.output_sqnr_before_db) +
          " nearest without calibration -> " + decibels(record.output_sqnr_after_db) + " with these methods\n";
}

void append_tensor(std::string& text, const TensorQuantRecord& record, const QuantConfig& config) {
  text += "\n" + record.name + " (layer " + record.node + ", shape " + shape_to_string(record.shape) + ", " +
          layout_description(record) + ")\n";
  if (!record.scale.empty()) {
    const auto [lowest, highest] = std::minmax_element(record.scale.begin(), record.scale.end());
    const double mean =
        std::accumulate(record.scale.begin(), record.scale.end(), 0.0) / static_cast<double>(record.scale.size());
    text += "  scale min/max/mean: " + number(*lowest) + " / " + number(*highest) + " / " + number(mean) + "\n";
  }
  text += "  zero points: " + list(record.zero_point, [](std::int32_t zero) { return std::to_string(zero); }) + "\n";
  text += "  clip: " + clip_description(record) + "\n";
  if (record.rejected_clips() > 0) text += "  guard: " + guard_description(record, config) + "\n";
  text += "  dequantized weights: SQNR " + decibels(record.sqnr_db) + ", max abs error " +
          number(record.max_abs_error) + "\n";
  text += "  bytes: " + byte_change(record.bytes_before, record.bytes_after) + "\n";
  if (record.has_output_error) append_calibration(text, record);
}

}  // namespace

nlohmann::json config_json(const QuantConfig& config) {
  const CodeRange range = code_range(config.bits, config.symmetric);
  return {
      {"bits", config.bits},
      {"symmetric", config.symmetric},
      {"per_channel", config.per_channel},
      {"clip", to_string(config.clip)},
      {"clip_percentile", config.clip_percentile},
      {"clip_scope", to_string(config.clip_scope)},
      {"clip_guard", config.clip_guard},
      {"min_elements", config.min_elements},
      {"float_layers", config.float_layers},
      {"code_range", {range.lo, range.hi}},
      {"storage", "int8"},
      {"rounding", "half_to_even"},
      {"weight_rounding", to_string(config.rounding)},
      {"bias_correction", config.bias_correction},
      {"range_includes_zero", !config.symmetric},
  };
}

nlohmann::json comparison_json(const ModelComparison& comparison) {
  return {
      {"max_abs_diff", finite_or_null(comparison.max_abs_diff)},
      {"reference_max_abs", finite_or_null(comparison.reference_max_abs)},
      {"relative_max_diff", finite_or_null(comparison.relative_max_diff())},
      {"mean_abs_diff", finite_or_null(comparison.mean_abs_diff)},
      {"sqnr_db", finite_or_null(comparison.sqnr_db)},
      {"cosine_similarity", comparison.cosine_similarity},
      {"elements", comparison.elements},
  };
}

std::string format_report(const QuantizationResult& result, const std::optional<ModelLevelComparison>& model) {
  const QuantConfig& config = result.config;
  const CodeRange range = code_range(config.bits, config.symmetric);
  std::string text = "Quantization report\n";
  text += "  bits: " + std::to_string(config.bits) + " (codes " + std::to_string(range.lo) + ".." +
          std::to_string(range.hi) + ", stored in int8)\n";
  text += std::string("  symmetric: ") +
          (config.symmetric ? "yes (zero point 0, scale = absmax / " + std::to_string(range.hi) + ")"
                            : "no (asymmetric; each range is widened to include 0 so that 0 is exact)") +
          "\n";
  text +=
      std::string("  per-channel: ") + (config.per_channel ? "yes (output-channel axis 0)" : "no (per tensor)") + "\n";
  text += "  clipping: " + clipping_description(config) + "\n";
  text += config.rounding == Rounding::Adaptive
              ? "  rounding: adaptive (floor or ceil per weight, chosen by the layer output error on calibration data; "
                "nearest is half to even)\n"
              : "  rounding: half to even\n";
  if (config.bias_correction) text += "  bias correction: on (mean output shift on calibration data removed from biases)\n";
  if (config.min_elements > 0) text += "  min-elements: " + std::to_string(config.min_elements) + "\n";
  if (!config.float_layers.empty()) {
    text += "  float layers:";
    for (const std::string& name : config.float_layers) text += " " + name;
    text += "\n";
  }

  for (const TensorQuantRecord& record : result.tensors) append_tensor(text, record, config);

  if (!result.skipped.empty()) {
    text += "\nLeft in float32:\n";
    for (const SkippedWeight& weight : result.skipped) {
      text += "  " + weight.name + " (layer " + weight.node + ", shape " + shape_to_string(weight.shape) +
              "): " + weight.reason + "\n";
    }
  }
  text += "\nTotals\n";
  text += "  quantized tensors: " + std::to_string(result.tensors.size()) + "\n";
  text += "  layer weights: " + byte_change(result.weight_bytes_before(), result.weight_bytes_after()) + "\n";
  text += "  all constants: " + byte_change(result.constant_bytes_before, result.constant_bytes_after) + "\n";
  if (model) {
    text += "\nModel level (quantized vs float output, " + std::to_string(model->per_input.size()) + " inputs)\n";
    for (const auto& [label, comparison] : model->per_input) append_comparison(text, label, comparison);
    append_comparison(text, "overall", model->overall);
  }
  return text;
}

std::string format_report_summary(const QuantizationResult& result, const std::optional<ModelLevelComparison>& model,
                                  std::size_t worst) {
  const QuantConfig& config = result.config;
  const CodeRange range = code_range(config.bits, config.symmetric);
  std::string text = "Quantization report (short)\n";
  text += "  " + std::to_string(config.bits) + "-bit codes " + std::to_string(range.lo) + ".." +
          std::to_string(range.hi) + ", " + (config.symmetric ? "symmetric" : "asymmetric") + ", " +
          (config.per_channel ? "per channel" : "per tensor") + ", clipping " + short_clipping(config) + ", " +
          to_string(config.rounding) + " rounding" + (config.bias_correction ? ", bias correction" : "") + "\n";
  text += "  quantized tensors: " + std::to_string(result.tensors.size()) + ", left in float32: " +
          std::to_string(result.skipped.size()) + "; layer weights " +
          byte_change(result.weight_bytes_before(), result.weight_bytes_after()) + "\n";
  if (model) append_comparison(text, "model output against float (" + std::to_string(model->per_input.size()) +
                                         " inputs)", model->overall);
  std::vector<const TensorQuantRecord*> records;
  for (const TensorQuantRecord& record : result.tensors) records.push_back(&record);
  const std::size_t shown = std::min(worst, records.size());
  std::partial_sort(records.begin(), records.begin() + static_cast<std::ptrdiff_t>(shown), records.end(),
                    [](const TensorQuantRecord* a, const TensorQuantRecord* b) { return a->sqnr_db < b->sqnr_db; });
  if (shown == 0) return text;
  text += "  lowest weight SQNR (" + std::to_string(shown) + " of " + std::to_string(records.size()) + " tensors):\n";
  std::size_t name_width = 0;
  for (std::size_t i = 0; i < shown; ++i) name_width = std::max(name_width, records[i]->name.size());
  std::ostringstream table;
  for (std::size_t i = 0; i < shown; ++i) {
    const TensorQuantRecord& record = *records[i];
    table << "    " << std::left << std::setw(static_cast<int>(name_width)) << record.name << "  " << std::setw(14)
          << shape_to_string(record.shape) << "  SQNR " << std::setw(9) << decibels(record.sqnr_db)
          << "  max abs error " << std::setw(9) << number(record.max_abs_error) << "  clipped "
          << percent(record.clipped_fraction()) << "\n";
  }
  return text + table.str();
}

nlohmann::json report_json(const QuantizationResult& result, const std::optional<ModelLevelComparison>& model) {
  nlohmann::json tensors = nlohmann::json::array();
  for (const TensorQuantRecord& record : result.tensors) {
    const bool per_channel = record.axis >= 0;
    nlohmann::json clip_value;
    nlohmann::json clip_applied = false;
    nlohmann::json clip_rejected = false;
    if (!record.clip_value.empty()) {
      clip_value = per_channel ? nlohmann::json(record.clip_value) : nlohmann::json(record.clip_value.front());
      clip_applied = per_channel ? nlohmann::json(record.clip_applied) : nlohmann::json(record.clip_applied.front());
      clip_rejected = per_channel ? nlohmann::json(record.clip_rejected) : nlohmann::json(record.clip_rejected.front());
    }
    tensors.push_back({
        {"name", record.name},
        {"node", record.node},
        {"shape", record.shape},
        {"axis", per_channel ? nlohmann::json(record.axis) : nlohmann::json()},
        {"scale", record.scale},
        {"zero_point", record.zero_point},
        {"clip_value", clip_value},
        {"clip_applied", clip_applied},
        {"clip_rejected", clip_rejected},
        {"clipped_values", record.clipped_values},
        {"clipped_fraction", record.clipped_fraction()},
        {"sqnr_db", finite_or_null(record.sqnr_db)},
        {"max_abs_error", record.max_abs_error},
        {"mse", record.mse},
        {"bytes_before", record.bytes_before},
        {"bytes_after", record.bytes_after},
    });
    if (record.has_output_error) {
      tensors.back()["calibration"] = {
          {"rounding", record.rounding},
          {"rounding_flips", record.rounding_flips},
          {"statistics_diagonal", record.statistics_diagonal},
          {"bias_corrected", record.bias_corrected},
          {"bias_added", record.bias_added},
          {"bias_max_change", record.bias_max_change},
          {"output_sqnr_before_db", finite_or_null(record.output_sqnr_before_db)},
          {"output_sqnr_after_db", finite_or_null(record.output_sqnr_after_db)},
      };
    }
  }
  nlohmann::json skipped = nlohmann::json::array();
  for (const SkippedWeight& weight : result.skipped) {
    skipped.push_back({{"name", weight.name},
                       {"node", weight.node},
                       {"reason", weight.reason},
                       {"shape", weight.shape},
                       {"bytes", weight.bytes}});
  }
  nlohmann::json report = {
      {"config", config_json(result.config)},
      {"tensors", tensors},
      {"skipped", skipped},
      {"totals",
       {{"quantized_tensors", result.tensors.size()},
        {"weight_bytes_before", result.weight_bytes_before()},
        {"weight_bytes_after", result.weight_bytes_after()},
        {"constant_bytes_before", result.constant_bytes_before},
        {"constant_bytes_after", result.constant_bytes_after}}},
      {"model", nullptr},
  };
  if (model) {
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& [label, comparison] : model->per_input) {
      nlohmann::json entry = comparison_json(comparison);
      entry["input"] = label;
      inputs.push_back(entry);
    }
    report["model"] = {{"inputs", inputs}, {"overall", comparison_json(model->overall)}};
  }
  return report;
}

}  // namespace edgeport
