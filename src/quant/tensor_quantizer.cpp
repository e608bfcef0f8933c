#include "quant/tensor_quantizer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "core/error.h"
#include "quant/affine.h"
#include "quant/clipping.h"

namespace edgeport {

namespace {

constexpr double kNoClip = std::numeric_limits<double>::infinity();

std::vector<double> finite_values(const Tensor& weights, const std::string& name) {
  if (weights.dtype() != DType::Float32) {
    throw Error("weight '" + name + "' is " + std::string(dtype_name(weights.dtype())) + ", expected float32");
  }
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(weights.numel()));
  for (float value : weights.values<float>()) {
    if (!std::isfinite(value)) {
      throw Error("weight '" + name + "' has " + (std::isnan(value) ? "NaN" : "Inf") + " at element " +
                  std::to_string(values.size()));
    }
    values.push_back(value);
  }
  return values;
}

double clip_for(const std::vector<std::span<const double>>& channels, std::span<const double> all_values,
                const QuantConfig& config) {
  if (config.clip == ClipMethod::Percentile) return abs_percentile(all_values, config.clip_percentile);
  return mse_optimal_clip(channels, config.bits, config.symmetric);
}

double abs_max(std::span<const double> values) {
  double result = 0.0;
  for (double value : values) result = std::max(result, std::fabs(value));
  return result;
}

}  // namespace

double sqnr_db(double signal_energy, double noise_energy) {
  if (noise_energy == 0.0) return std::numeric_limits<double>::infinity();
  if (signal_energy == 0.0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal_energy / noise_energy);
}

double TensorQuantRecord::clipped_fraction() const {
  const std::int64_t count = elements();
  return count == 0 ? 0.0 : static_cast<double>(clipped_values) / static_cast<double>(count);
}

int TensorQuantRecord::rejected_clips() const {
  return static_cast<int>(std::count(clip_rejected.begin(), clip_rejected.end(), true));
}

int TensorQuantRecord::applied_clips() const {
  return static_cast<int>(std::count(clip_applied.begin(), clip_applied.end(), true));
}

QuantizedTensor quantize_tensor(const Tensor& weights, const std::string& name, const QuantConfig& config) {
  config.validate();
  const std::vector<double> values = finite_values(weights, name);
  TensorQuantRecord record;
  record.name = name;
  record.shape = weights.shape();
  record.axis = config.per_channel && weights.rank() >= 2 ? 0 : -1;
  const std::size_t channel_count = record.axis == 0 ? static_cast<std::size_t>(weights.dim(0)) : 1;
  const std::size_t channel_size = channel_count == 0 ? 0 : values.size() / channel_count;
  std::vector<std::span<const double>> channels;
  for (std::size_t c = 0; c < channel_count; ++c) {
    channels.emplace_back(values.data() + c * channel_size, channel_size);
  }

  const bool clipping = config.clip != ClipMethod::None;
  const bool one_clip_for_tensor = config.clip_scope == ClipScope::Tensor || record.axis < 0;
  const double tensor_clip = clipping && one_clip_for_tensor ? clip_for(channels, values, config) : kNoClip;

  Tensor codes(DType::Int8, weights.shape());
  std::int8_t* code_data = codes.data<std::int8_t>();
  double signal_energy = 0.0;
  double noise_energy = 0.0;
  std::vector<std::int32_t> channel_codes;
  for (std::size_t c = 0; c < channel_count; ++c) {
    const std::span<const double> channel = channels[c];
    ChannelFit fit = fit_channel(channel, kNoClip, config.bits, config.symmetric, &channel_codes);
    bool applied = false;
    bool rejected = false;
    if (clipping) {
      const double clip = one_clip_for_tensor ? tensor_clip : clip_for({channel}, channel, config);
      record.clip_value.push_back(clip);
      if (clip < abs_max(channel)) {
        std::vector<std::int32_t> clipped_codes;
        ChannelFit clipped = fit_channel(channel, clip, config.bits, config.symmetric, &clipped_codes);
        if (config.clip_guard && clipped.squared_error > fit.squared_error) {
          rejected = true;
        } else {
          applied = true;
          fit = clipped;
          channel_codes = std::move(clipped_codes);
          record.clipped_values +=
              std::count_if(channel.begin(), channel.end(), [clip](double value) { return std::fabs(value) > clip; });
        }
      }
      record.clip_applied.push_back(applied);
      record.clip_rejected.push_back(rejected);
    }
    record.scale.push_back(fit.params.scale);
    record.zero_point.push_back(fit.params.zero_point);
    for (double value : channel) signal_energy += value * value;
    noise_energy += fit.squared_error;
    record.max_abs_error = std::max(record.max_abs_error, fit.max_abs_error);
    std::transform(channel_codes.begin(), channel_codes.end(), code_data + c * channel_size,
                   [](std::int32_t code) { return static_cast<std::int8_t>(code); });
  }

  record.sqnr_db = sqnr_db(signal_energy, noise_energy);
  record.mse = values.empty() ? 0.0 : noise_energy / static_cast<double>(values.size());
  record.bytes_before = static_cast<std::int64_t>(values.size() * sizeof(float));
  record.bytes_after = static_cast<std::int64_t>(values.size() + channel_count * (sizeof(float) + 1));
  codes.quant = QuantParams{record.scale, record.zero_point, record.axis};
  return {std::move(codes), std::move(record)};
}

}  // namespace edgeport
