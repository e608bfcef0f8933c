#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "quant/layer_statistics.h"
#include "quant/quant_config.h"

namespace edgeport {

// What quantizing one weight tensor did, per channel and overall. A
// per-tensor quantization has axis -1 and one entry in each per-channel list.
struct TensorQuantRecord {
  std::string name;  // the float weight's value name
  std::string node;  // the first Conv / Linear reading it
  Shape shape;
  int axis = -1;
  std::vector<float> scale;
  std::vector<std::int32_t> zero_point;
  // The clip value chosen for each channel; empty when clipping is off.
  std::vector<double> clip_value;
  // The clip changed values of the channel and was kept.
  std::vector<bool> clip_applied;
  // The clip would have raised the channel's reconstruction MSE, so the
  // channel was quantized over its full range instead (the guard).
  std::vector<bool> clip_rejected;
  std::int64_t clipped_values = 0;  // values changed by the applied clips
  double sqnr_db = 0.0;             // of the dequantized weights; +inf when exact
  double max_abs_error = 0.0;
  double mse = 0.0;
  std::int64_t bytes_before = 0;  // float32 weights
  // int8 codes plus a float32 scale and an int8 zero point per channel, as
  // ONNX's DequantizeLinear stores them.
  std::int64_t bytes_after = 0;

  // Calibration-driven methods; set only when layer statistics were given.
  // "nearest" or "adaptive"; "nearest (diagonal statistics)" when adaptive
  // was asked but only the diagonal of H is known, where it reduces to nearest.
  std::string rounding = "nearest";
  std::int64_t rounding_flips = 0;  // weights rounded away from nearest
  bool statistics_diagonal = false;
  bool has_output_error = false;
  // Estimated layer output SQNR, sum of w^T H w over sum of d^T H d: before =
  // nearest rounding without calibration (the configured clip, or the full
  // range for --clip output); after = the chosen codes, measured with the
  // covariance H - mu mu^T when bias correction removes the mean shift.
  double output_sqnr_before_db = 0.0;
  double output_sqnr_after_db = 0.0;
  // Set by quantize_graph when it corrects the bias of the layer.
  bool bias_corrected = false;
  bool bias_added = false;  // the layer had no bias; a float32 one was added
  double bias_max_change = 0.0;

  std::int64_t elements() const { return shape_numel(shape); }
  double clipped_fraction() const;
  int rejected_clips() const;
  int applied_clips() const;
};

struct QuantizedTensor {
  Tensor codes;  // int8, with quant set
  TensorQuantRecord record;
};

// Quantizes a float32 weight per config: per channel along axis 0 (the output
// channel of OIHW conv, depthwise and Linear weights) unless per-tensor is
// asked or the tensor is 1-D. NaN or Inf in the weights is an Error naming
// the tensor. The calibration-driven options (adaptive rounding, bias
// correction, output clipping) need the statistics of the layer reading the
// weight; without them they are an Error naming the option and the tensor.
QuantizedTensor quantize_tensor(const Tensor& weights, const std::string& name, const QuantConfig& config,
                                const LayerStatistics* statistics = nullptr);

// 10*log10(signal energy / noise energy); +inf without noise, -inf without signal.
double sqnr_db(double signal_energy, double noise_energy);

}  // namespace edgeport
