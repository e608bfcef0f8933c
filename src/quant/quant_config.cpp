#include "quant/quant_config.h"

#include "core/error.h"

namespace edgeport {

void QuantConfig::validate() const {
  if (bits < 2 || bits > 8) throw Error("quantization bits must be between 2 and 8, got " + std::to_string(bits));
  if (clip == ClipMethod::Percentile && !(clip_percentile > 0.0 && clip_percentile <= 100.0)) {
    throw Error("clip percentile must be in (0, 100], got " + std::to_string(clip_percentile));
  }
  if (min_elements < 0) throw Error("min-elements must not be negative, got " + std::to_string(min_elements));
}

bool QuantConfig::needs_statistics() const { return !statistics_option().empty(); }

std::string QuantConfig::statistics_option() const {
  if (rounding == Rounding::Adaptive) return "--rounding adaptive";
  if (bias_correction) return "--bias-correction";
  if (clip == ClipMethod::Output) return "--clip output";
  return {};
}

ClipMethod parse_clip_method(const std::string& text) {
  if (text == "percentile") return ClipMethod::Percentile;
  if (text == "mse") return ClipMethod::Mse;
  if (text == "output") return ClipMethod::Output;
  if (text == "none") return ClipMethod::None;
  throw Error("unknown clip method '" + text + "' (expected percentile, mse, output or none)");
}

Rounding parse_rounding(const std::string& text) {
  if (text == "nearest") return Rounding::Nearest;
  if (text == "adaptive") return Rounding::Adaptive;
  throw Error("unknown rounding '" + text + "' (expected nearest or adaptive)");
}

ClipScope parse_clip_scope(const std::string& text) {
  if (text == "channel") return ClipScope::Channel;
  if (text == "tensor") return ClipScope::Tensor;
  throw Error("unknown clip scope '" + text + "' (expected channel or tensor)");
}

std::string to_string(ClipMethod method) {
  switch (method) {
    case ClipMethod::None: return "none";
    case ClipMethod::Percentile: return "percentile";
    case ClipMethod::Mse: return "mse";
    case ClipMethod::Output: return "output";
  }
  return "unknown";
}

std::string to_string(ClipScope scope) { return scope == ClipScope::Channel ? "channel" : "tensor"; }

std::string to_string(Rounding rounding) { return rounding == Rounding::Nearest ? "nearest" : "adaptive"; }

}  // namespace edgeport
