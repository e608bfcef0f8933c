#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace edgeport {

// The seed guide's ComputeQuantParams / QuantizeTensor / DequantizeTensor for
// one channel, in a precision both this code and the NumPy test vectors
// (tools/make_quant_vectors.py) reproduce bit for bit: inputs are float32
// widened to double, arithmetic is in double, the scale is rounded to float32
// once and every later step uses that float32 scale. Rounding is half to
// even (NumPy's np.round, ONNX QuantizeLinear).

// Integer codes a channel may take.
struct CodeRange {
  std::int32_t lo;
  std::int32_t hi;
};

// [-2^(bits-1), 2^(bits-1)-1] asymmetric; [-(2^(bits-1)-1), 2^(bits-1)-1]
// symmetric (the restricted range int8 weight kernels require).
CodeRange code_range(int bits, bool symmetric);

struct AffineParams {
  float scale = 1.0f;
  std::int32_t zero_point = 0;
};

// Scales below this become this, so constant and all-zero channels divide safely.
constexpr float kMinScale = 1e-8f;

double round_half_even(double value);

// Asymmetric: the range [min_value, max_value] is first widened to include 0,
// so that 0 has an exact code; scale = (hi - lo) / (qmax - qmin),
// zero_point = clamp(round(qmin - lo / scale), qmin, qmax).
// Symmetric: scale = max(|min|, |max|) / qmax, zero_point = 0.
AffineParams compute_quant_params(double min_value, double max_value, int bits, bool symmetric);

// clamp(round(value / scale) + zero_point, range.lo, range.hi).
std::int32_t quantize_value(double value, const AffineParams& params, const CodeRange& range);

// scale * (code - zero_point) in float32, exactly as the runtime's Dequantize.
float dequantize_value(std::int32_t code, const AffineParams& params);

// Reconstruction of one channel: its codes and error statistics.
struct ChannelFit {
  AffineParams params;
  double squared_error = 0.0;  // sum over the channel of (x - dequantized)^2
  double max_abs_error = 0.0;
};

// Clamps the values to [-clip, clip] (no clamp when clip is infinite),
// computes the parameters from the clamped range and measures the error of
// the dequantized result against the original, unclamped values. When codes
// is given it receives one code per value.
ChannelFit fit_channel(std::span<const double> values, double clip, int bits, bool symmetric,
                       std::vector<std::int32_t>* codes = nullptr);

}  // namespace edgeport
