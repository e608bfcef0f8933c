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

ClipMethod parse_clip_method(const std::string& text) {
  if (text == "percentile") return ClipMethod::Percentile;
  if (text == "mse") return ClipMethod::Mse;
  if (text == "none") return ClipMethod::None;
  throw Error("unknown clip method '" + text + "' (expected percentile, mse or none)");
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
  }
  return "unknown";
}

std::string to_string(ClipScope scope) { return scope == ClipScope::Channel ? "channel" : "tensor"; }

}  // namespace edgeport
