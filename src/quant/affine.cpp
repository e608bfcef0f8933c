#include "quant/affine.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace edgeport {

CodeRange code_range(int bits, bool symmetric) {
  if (bits < 2 || bits > 8) throw Error("quantization bits must be between 2 and 8, got " + std::to_string(bits));
  const std::int32_t qmax = (1 << (bits - 1)) - 1;
  return {symmetric ? -qmax : -qmax - 1, qmax};
}

double round_half_even(double value) {
  const double below = std::floor(value);
  const double fraction = value - below;  // exact for every double
  if (fraction < 0.5) return below;
  if (fraction > 0.5) return below + 1.0;
  return std::fmod(below, 2.0) == 0.0 ? below : below + 1.0;
}

AffineParams compute_quant_params(double min_value, double max_value, int bits, bool symmetric) {
  const CodeRange range = code_range(bits, symmetric);
  AffineParams params;
  if (symmetric) {
    const double absmax = std::max(std::fabs(min_value), std::fabs(max_value));
    params.scale = std::max(static_cast<float>(absmax / range.hi), kMinScale);
    return params;
  }
  const double lo = std::min(min_value, 0.0);
  const double hi = std::max(max_value, 0.0);
  params.scale = std::max(static_cast<float>((hi - lo) / (range.hi - range.lo)), kMinScale);
  const double zero_point = round_half_even(range.lo - lo / static_cast<double>(params.scale));
  params.zero_point =
      static_cast<std::int32_t>(std::clamp(zero_point, static_cast<double>(range.lo), static_cast<double>(range.hi)));
  return params;
}

std::int32_t quantize_value(double value, const AffineParams& params, const CodeRange& range) {
  const double code = round_half_even(value / static_cast<double>(params.scale)) + params.zero_point;
  return static_cast<std::int32_t>(std::clamp(code, static_cast<double>(range.lo), static_cast<double>(range.hi)));
}

float dequantize_value(std::int32_t code, const AffineParams& params) {
  return params.scale * (static_cast<float>(code) - static_cast<float>(params.zero_point));
}

ChannelFit fit_channel(std::span<const double> values, double clip, int bits, bool symmetric,
                       std::vector<std::int32_t>* codes) {
  double min_value = 0.0;
  double max_value = 0.0;
  if (!values.empty()) {
    const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
    min_value = std::max(*lowest, -clip);
    max_value = std::min(*highest, clip);
  }
  ChannelFit fit;
  fit.params = compute_quant_params(min_value, max_value, bits, symmetric);
  const CodeRange range = code_range(bits, symmetric);
  if (codes) codes->clear();
  for (double value : values) {
    const std::int32_t code = quantize_value(std::clamp(value, -clip, clip), fit.params, range);
    const double error = value - static_cast<double>(dequantize_value(code, fit.params));
    fit.squared_error += error * error;
    fit.max_abs_error = std::max(fit.max_abs_error, std::fabs(error));
    if (codes) codes->push_back(code);
  }
  return fit;
}

}  // namespace edgeport
