#include "quant/activation_range.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace edgeport {
namespace {

constexpr CodeRange kInt8{-128, 127};
// MSE and entropy shrink the observed range towards 0 by these factors:
// 1, 0.99, ..., 0.02 of it.
constexpr int kShrinkSteps = 99;

double shrink_factor(int step) { return 1.0 - 0.01 * step; }

double bin_center(const ActivationHistogram& histogram, std::size_t bin) {
  return histogram.min() + (static_cast<double>(bin) + 0.5) * histogram.bin_width();
}

double total_count(const ActivationHistogram& histogram) {
  double total = 0.0;
  for (double count : histogram.counts()) total += count;
  return total;
}

AffineParams percentile_params(const ActivationHistogram& histogram, double percentile) {
  const double total = total_count(histogram);
  const double tail = total * (1.0 - percentile / 100.0);
  const std::vector<double>& counts = histogram.counts();
  double below = 0.0;
  std::size_t first = 0;
  while (first + 1 < counts.size() && below + counts[first] <= tail) below += counts[first++];
  double above = 0.0;
  std::size_t last = counts.size() - 1;
  while (last > first && above + counts[last] <= tail) above += counts[last--];
  const double width = histogram.bin_width();
  return int8_activation_params(histogram.min() + static_cast<double>(first) * width,
                                histogram.min() + static_cast<double>(last + 1) * width);
}

// Expected squared error of quantizing the histogram's values (at their bin
// centres) with `params`, clamping included.
double quantization_mse(const ActivationHistogram& histogram, const AffineParams& params) {
  double error = 0.0;
  const std::vector<double>& counts = histogram.counts();
  for (std::size_t bin = 0; bin < counts.size(); ++bin) {
    if (counts[bin] == 0.0) continue;
    const double x = bin_center(histogram, bin);
    const double difference = x - static_cast<double>(dequantize_value(quantize_value(x, params, kInt8), params));
    error += counts[bin] * difference * difference;
  }
  return error;
}

// KL divergence between the histogram clipped to the params' range (the
// clipped values piled onto the edge codes' bins) and its int8 version, in
// which each code spreads its values evenly over the bins it covers that
// held any (TensorRT's calibration, for an asymmetric grid).
double quantization_divergence(const ActivationHistogram& histogram, const AffineParams& params) {
  const std::vector<double>& counts = histogram.counts();
  std::vector<double> reference(counts.size(), 0.0);
  std::vector<std::int32_t> code(counts.size());
  for (std::size_t bin = 0; bin < counts.size(); ++bin) {
    code[bin] = quantize_value(bin_center(histogram, bin), params, kInt8);
  }
  // Bins whose centre lies beyond the range are clipped to an edge code:
  // their mass goes to the nearest bin still inside.
  std::size_t first = 0;
  while (first + 1 < counts.size() && code[first] == kInt8.lo && code[first + 1] == kInt8.lo) ++first;
  std::size_t last = counts.size() - 1;
  while (last > first && code[last] == kInt8.hi && code[last - 1] == kInt8.hi) --last;
  for (std::size_t bin = 0; bin < counts.size(); ++bin) reference[std::clamp(bin, first, last)] += counts[bin];

  std::vector<double> quantized(counts.size(), 0.0);
  for (std::size_t start = first; start <= last;) {
    std::size_t end = start;
    double mass = 0.0;
    double occupied = 0.0;
    while (end <= last && code[end] == code[start]) {
      mass += counts[end];
      occupied += counts[end] > 0.0 ? 1.0 : 0.0;
      ++end;
    }
    for (std::size_t bin = start; bin < end; ++bin) {
      if (counts[bin] > 0.0) quantized[bin] = mass / occupied;
    }
    start = end;
  }
  const double total = total_count(histogram);
  double quantized_total = 0.0;
  for (double q : quantized) quantized_total += q;
  // Mass only the clipping put into a bin has no quantized counterpart.
  constexpr double kFloor = 1e-12;
  double divergence = 0.0;
  for (std::size_t bin = first; bin <= last; ++bin) {
    if (reference[bin] == 0.0) continue;
    const double p = reference[bin] / total;
    const double q = std::max(quantized[bin] / std::max(quantized_total, kFloor), kFloor);
    divergence += p * std::log(p / q);
  }
  return divergence;
}

template <typename Cost>
AffineParams best_shrunk_params(const ActivationHistogram& histogram, Cost cost) {
  AffineParams best = int8_activation_params(histogram.min(), histogram.max());
  double best_cost = std::numeric_limits<double>::infinity();
  for (int step = 0; step < kShrinkSteps; ++step) {
    const double factor = shrink_factor(step);
    const AffineParams candidate = int8_activation_params(histogram.min() * factor, histogram.max() * factor);
    const double candidate_cost = cost(histogram, candidate);
    if (candidate_cost < best_cost) {
      best_cost = candidate_cost;
      best = candidate;
    }
  }
  return best;
}

}  // namespace

CalibrationMethod parse_calibration_method(const std::string& text) {
  if (text == "minmax") return CalibrationMethod::MinMax;
  if (text == "percentile") return CalibrationMethod::Percentile;
  if (text == "mse") return CalibrationMethod::Mse;
  if (text == "entropy") return CalibrationMethod::Entropy;
  throw Error("--calibration-method: expected minmax, percentile, mse or entropy, got '" + text + "'");
}

std::string to_string(CalibrationMethod method) {
  switch (method) {
    case CalibrationMethod::MinMax: return "minmax";
    case CalibrationMethod::Percentile: return "percentile";
    case CalibrationMethod::Mse: return "mse";
    case CalibrationMethod::Entropy: return "entropy";
  }
  return "unknown";
}

void ActivationHistogram::observe_range(std::span<const float> values) {
  for (float value : values) {
    if (!std::isfinite(value)) throw Error("non-finite activation value " + std::to_string(value));
    min_ = std::min(min_, static_cast<double>(value));
    max_ = std::max(max_, static_cast<double>(value));
  }
}

void ActivationHistogram::start_histogram() { counts_.assign(kBins, 0.0); }

void ActivationHistogram::observe_histogram(std::span<const float> values) {
  const double width = bin_width();
  for (float value : values) {
    const double offset = width > 0.0 ? (static_cast<double>(value) - min_) / width : 0.0;
    const auto bin = static_cast<std::int64_t>(std::floor(offset));
    counts_[static_cast<std::size_t>(std::clamp<std::int64_t>(bin, 0, kBins - 1))] += 1.0;
  }
}

AffineParams int8_activation_params(double lo, double hi) {
  return compute_quant_params(std::min(lo, 0.0), std::max(hi, 0.0), 8, false);
}

AffineParams choose_activation_params(const ActivationHistogram& histogram, CalibrationMethod method,
                                      double percentile) {
  if (method == CalibrationMethod::MinMax || histogram.max() == histogram.min()) {
    return int8_activation_params(histogram.min(), histogram.max());
  }
  if (histogram.counts().size() != static_cast<std::size_t>(ActivationHistogram::kBins)) {
    throw Error("calibration method " + to_string(method) + " needs the histogram pass");
  }
  switch (method) {
    case CalibrationMethod::Percentile: return percentile_params(histogram, percentile);
    case CalibrationMethod::Mse: return best_shrunk_params(histogram, quantization_mse);
    case CalibrationMethod::Entropy: return best_shrunk_params(histogram, quantization_divergence);
    case CalibrationMethod::MinMax: break;
  }
  return int8_activation_params(histogram.min(), histogram.max());
}

}  // namespace edgeport
