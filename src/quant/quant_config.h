#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace edgeport {

// How the clip value of a channel (or tensor) is chosen before its
// quantization parameters are computed.
enum class ClipMethod {
  None,        // use the full range
  Percentile,  // the P-th percentile of |x| (the seed guide's outlier clipping)
  Mse,         // the candidate that minimises the reconstruction MSE
  Output,      // the candidate that minimises the layer's output error on calibration data
};

// How each weight is rounded to a code once the scale is known.
enum class Rounding {
  Nearest,   // half to even
  Adaptive,  // floor or ceil, whichever lowers the layer's output error on calibration data
};

// Over which values a clip value is chosen when quantizing per channel.
enum class ClipScope {
  Channel,  // one clip value per output channel
  Tensor,   // one clip value for the whole tensor (the seed guide's behaviour)
};

// The options of `edgeport quantize`, with the seed guide's defaults.
struct QuantConfig {
  int bits = 8;  // 2 to 8; codes are stored in int8 containers
  bool symmetric = false;
  bool per_channel = true;
  ClipMethod clip = ClipMethod::Percentile;
  double clip_percentile = 99.9;
  ClipScope clip_scope = ClipScope::Channel;
  // Refuse a clip that raises a channel's reconstruction MSE above the
  // unclipped one. Only turned off to reproduce the seed guide's behaviour.
  bool clip_guard = true;
  // Weights with fewer elements stay float32 (TFLite's converter uses 1024).
  std::int64_t min_elements = 0;
  // Layers (node names such as "conv2", or their weight names) whose weights
  // stay float32: mixed precision, chosen by the user or by measurement.
  std::vector<std::string> float_layers;
  Rounding rounding = Rounding::Nearest;
  // Subtract from each output channel's bias the mean output shift that
  // weight rounding causes on calibration data.
  bool bias_correction = false;

  // Rounding, clipping or bias correction driven by layer input statistics
  // measured on calibration data.
  bool needs_statistics() const;
  // The flag of the first option that needs statistics, for error messages.
  std::string statistics_option() const;

  // Throws Error naming the first option out of range.
  void validate() const;
};

ClipMethod parse_clip_method(const std::string& text);  // "percentile" | "mse" | "output" | "none"
Rounding parse_rounding(const std::string& text);        // "nearest" | "adaptive"
ClipScope parse_clip_scope(const std::string& text);    // "channel" | "tensor"
std::string to_string(ClipMethod method);
std::string to_string(ClipScope scope);
std::string to_string(Rounding rounding);

}  // namespace edgeport
