#include "quant/tensor_quantizer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <span>

#include "core/error.h"
#include "quant/adaptive_rounding.h"
#include "quant/affine.h"
#include "quant/clipping.h"
#include "quant/output_clipping.h"
#include "quant/output_error.h"

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

// The output-error metrics of a layer's weight rows: `raw` (H) measures the
// signal and the uncalibrated baseline, `objective` is what the methods
// minimise (H - mu mu^T when bias correction removes the mean shift).
struct RowMetricSet {
  std::optional<LayerOutputError> raw;
  std::optional<LayerOutputError> centred;
  std::vector<const OutputErrorMetric*> raw_rows;
  std::vector<const OutputErrorMetric*> objective_rows;
};

RowMetricSet row_metrics(const Tensor& weights, const std::string& name, const LayerStatistics& statistics,
                         bool bias_correction) {
  const std::int64_t rows = weights.rank() >= 2 ? weights.dim(0) : 0;
  if (rows == 0 || statistics.groups <= 0 || rows % statistics.groups != 0 ||
      weights.numel() / rows != statistics.patch_size) {
    throw Error("weight '" + name + "' of shape " + shape_to_string(weights.shape()) +
                " does not match the calibration statistics of layer '" + statistics.node + "' (patch size " +
                std::to_string(statistics.patch_size) + ", " + std::to_string(statistics.groups) + " groups)");
  }
  RowMetricSet set;
  set.raw.emplace(statistics, rows, false);
  if (bias_correction) set.centred.emplace(statistics, rows, true);
  const LayerOutputError& objective = bias_correction ? *set.centred : *set.raw;
  for (std::int64_t row = 0; row < rows; ++row) {
    set.raw_rows.push_back(&set.raw->of_channel(row));
    set.objective_rows.push_back(&objective.of_channel(row));
  }
  return set;
}

double clip_for(const std::vector<std::span<const double>>& channels, std::span<const double> all_values,
                const std::vector<RowMetrics>& rows, const QuantConfig& config) {
  if (config.clip == ClipMethod::Percentile) return abs_percentile(all_values, config.clip_percentile);
  if (config.clip == ClipMethod::Output) return output_optimal_clip(channels, rows, config.bits, config.symmetric);
  return mse_optimal_clip(channels, config.bits, config.symmetric);
}

// The error statistics of given codes, as fit_channel measures them.
ChannelFit measure_fit(std::span<const double> values, std::span<const std::int32_t> codes,
                       const AffineParams& params) {
  ChannelFit fit;
  fit.params = params;
  for (double error : weight_error(values, codes, params)) {
    fit.squared_error += error * error;
    fit.max_abs_error = std::max(fit.max_abs_error, std::fabs(error));
  }
  return fit;
}

// The report's output energies: per channel, the sum over its weight rows of
// d^T M d for the weights themselves (the signal), the error before and the
// error after. Collected channel by channel and measured once the channels
// are done, in one batched pass over each metric (OutputErrorMetric::
// energies), then summed in the order measuring them one by one would have.
class OutputEnergies {
 public:
  enum Term { Signal, NoiseBefore, NoiseAfter, kTerms };

  void add(Term term, std::span<const double> channel, RowMetrics rows) {
    const std::size_t row_size = channel.size() / rows.size();
    for (std::size_t r = 0; r < rows.size(); ++r) {
      entries_.push_back({term, channel_, rows[r], channel.subspan(r * row_size, row_size)});
    }
  }
  // Owns an error vector until the totals are measured.
  void add_error(Term term, std::vector<double> error, RowMetrics rows) {
    errors_.push_back(std::move(error));
    add(term, errors_.back(), rows);
  }
  void next_channel() { ++channel_; }

  std::array<double, kTerms> totals() const {
    std::map<const OutputErrorMetric*, std::vector<std::size_t>> by_metric;
    for (std::size_t e = 0; e < entries_.size(); ++e) by_metric[entries_[e].metric].push_back(e);
    std::vector<double> energy(entries_.size());
    for (const auto& [metric, indices] : by_metric) {
      std::vector<std::span<const double>> vectors;
      for (std::size_t e : indices) vectors.push_back(entries_[e].vector);
      const std::vector<double> measured = metric->energies(vectors);
      for (std::size_t i = 0; i < indices.size(); ++i) energy[indices[i]] = measured[i];
    }
    std::array<double, kTerms> totals{};
    std::array<double, kTerms> channel_totals{};
    for (std::size_t e = 0; e < entries_.size(); ++e) {
      channel_totals[entries_[e].term] += energy[e];
      const bool channel_ends = e + 1 == entries_.size() || entries_[e + 1].channel != entries_[e].channel;
      if (!channel_ends) continue;
      for (std::size_t t = 0; t < kTerms; ++t) totals[t] += channel_totals[t];
      channel_totals = {};
    }
    return totals;
  }

 private:
  struct Entry {
    Term term;
    std::size_t channel;
    const OutputErrorMetric* metric;
    std::span<const double> vector;
  };
  std::vector<Entry> entries_;
  std::deque<std::vector<double>> errors_;  // a deque keeps the spans into it valid
  std::size_t channel_ = 0;
};

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

QuantizedTensor quantize_tensor(const Tensor& weights, const std::string& name, const QuantConfig& config,
                                const LayerStatistics* statistics) {
  config.validate();
  if (config.needs_statistics() && statistics == nullptr) {
    throw Error(config.statistics_option() + " needs calibration statistics for weight '" + name + "'");
  }
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

  // Moving a RowMetricSet keeps its row pointers valid: they point into the
  // metrics' vector buffers, which move with it.
  const RowMetricSet metrics =
      statistics ? row_metrics(weights, name, *statistics, config.bias_correction) : RowMetricSet{};
  // The weight rows (output channels) each quantization channel spans.
  std::vector<RowMetrics> objective_rows, raw_rows;
  const std::size_t rows_per_channel = channel_count == 0 ? 0 : metrics.raw_rows.size() / channel_count;
  for (std::size_t c = 0; statistics && c < channel_count; ++c) {
    objective_rows.emplace_back(metrics.objective_rows.data() + c * rows_per_channel, rows_per_channel);
    raw_rows.emplace_back(metrics.raw_rows.data() + c * rows_per_channel, rows_per_channel);
  }
  const bool adaptive = statistics && config.rounding == Rounding::Adaptive;
  if (statistics) {
    record.has_output_error = true;
    record.statistics_diagonal = statistics->diagonal;
    record.rounding = !adaptive ? "nearest" : statistics->diagonal ? "nearest (diagonal statistics)" : "adaptive";
  }

  const bool clipping = config.clip != ClipMethod::None;
  const bool one_clip_for_tensor = config.clip_scope == ClipScope::Tensor || record.axis < 0;
  const double tensor_clip =
      clipping && one_clip_for_tensor ? clip_for(channels, values, objective_rows, config) : kNoClip;
  const CodeRange range = code_range(config.bits, config.symmetric);

  Tensor codes(DType::Int8, weights.shape());
  std::int8_t* code_data = codes.data<std::int8_t>();
  double signal_energy = 0.0;
  double noise_energy = 0.0;
  OutputEnergies output_energies;
  // Per channel: its fit and codes, and what they were before clipping.
  struct ChannelChoice {
    ChannelFit fit;
    std::vector<std::int32_t> codes;
    std::vector<std::int32_t> baseline_codes;
    AffineParams baseline_params;
  };
  std::vector<ChannelChoice> choices(channel_count);
  for (std::size_t c = 0; c < channel_count; ++c) {
    const std::span<const double> channel = channels[c];
    std::vector<std::int32_t> channel_codes;
    ChannelFit fit = fit_channel(channel, kNoClip, config.bits, config.symmetric, &channel_codes);
    // What the quantizer does without calibration: the --clip output search
    // starts from the full range.
    std::vector<std::int32_t> baseline_codes = channel_codes;
    AffineParams baseline_params = fit.params;
    bool applied = false;
    bool rejected = false;
    if (clipping) {
      const std::vector<std::span<const double>> single{channel};
      const double clip = one_clip_for_tensor
                              ? tensor_clip
                              : clip_for(single, channel, statistics ? std::vector<RowMetrics>{objective_rows[c]}
                                                                     : std::vector<RowMetrics>{},
                                         config);
      record.clip_value.push_back(clip);
      if (clip < abs_max(channel)) {
        std::vector<std::int32_t> clipped_codes;
        ChannelFit clipped = fit_channel(channel, clip, config.bits, config.symmetric, &clipped_codes);
        // The guard judges a clip by the measure that chose it.
        const bool raises_error =
            config.clip == ClipMethod::Output
                ? channel_output_error(channel, clipped_codes, clipped.params, objective_rows[c]) >
                      channel_output_error(channel, channel_codes, fit.params, objective_rows[c])
                : clipped.squared_error > fit.squared_error;
        if (config.clip_guard && raises_error) {
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
      if (config.clip != ClipMethod::Output) {
        baseline_codes = channel_codes;
        baseline_params = fit.params;
      }
    }
    choices[c] = {fit, std::move(channel_codes), std::move(baseline_codes), baseline_params};
  }

  // Every weight row of every channel at once, so that rows sharing a metric
  // are measured together.
  if (adaptive) {
    std::vector<RoundingRow> rows;
    for (std::size_t c = 0; c < channel_count; ++c) {
      const RowMetrics channel_rows = objective_rows[c];
      const std::size_t row_size = channel_size / channel_rows.size();
      for (std::size_t r = 0; r < channel_rows.size(); ++r) {
        rows.push_back({channels[c].subspan(r * row_size, row_size), choices[c].fit.params, range, channel_rows[r],
                        std::span<std::int32_t>(choices[c].codes).subspan(r * row_size, row_size)});
      }
    }
    record.rounding_flips += adaptive_round_rows(rows);
    for (std::size_t c = 0; c < channel_count; ++c) {
      choices[c].fit = measure_fit(channels[c], choices[c].codes, choices[c].fit.params);
    }
  }

  for (std::size_t c = 0; c < channel_count; ++c) {
    const std::span<const double> channel = channels[c];
    const ChannelChoice& choice = choices[c];
    if (statistics) {
      output_energies.add(OutputEnergies::Signal, channel, raw_rows[c]);
      output_energies.add_error(OutputEnergies::NoiseBefore,
                                weight_error(channel, choice.baseline_codes, choice.baseline_params), raw_rows[c]);
      output_energies.add_error(OutputEnergies::NoiseAfter, weight_error(channel, choice.codes, choice.fit.params),
                                objective_rows[c]);
      output_energies.next_channel();
    }
    record.scale.push_back(choice.fit.params.scale);
    record.zero_point.push_back(choice.fit.params.zero_point);
    for (double value : channel) signal_energy += value * value;
    noise_energy += choice.fit.squared_error;
    record.max_abs_error = std::max(record.max_abs_error, choice.fit.max_abs_error);
    std::transform(choice.codes.begin(), choice.codes.end(), code_data + c * channel_size,
                   [](std::int32_t code) { return static_cast<std::int8_t>(code); });
  }

  record.sqnr_db = sqnr_db(signal_energy, noise_energy);
  if (statistics) {
    const std::array<double, OutputEnergies::kTerms> energies = output_energies.totals();
    record.output_sqnr_before_db = sqnr_db(energies[OutputEnergies::Signal], energies[OutputEnergies::NoiseBefore]);
    record.output_sqnr_after_db = sqnr_db(energies[OutputEnergies::Signal], energies[OutputEnergies::NoiseAfter]);
  }
  record.mse = values.empty() ? 0.0 : noise_energy / static_cast<double>(values.size());
  record.bytes_before = static_cast<std::int64_t>(values.size() * sizeof(float));
  record.bytes_after = static_cast<std::int64_t>(values.size() + channel_count * (sizeof(float) + 1));
  codes.quant = QuantParams{record.scale, record.zero_point, record.axis};
  return {std::move(codes), std::move(record)};
}

}  // namespace edgeport
