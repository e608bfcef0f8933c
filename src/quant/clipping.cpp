#include "quant/clipping.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "quant/affine.h"

namespace edgeport {

double abs_percentile(std::span<const double> values, double percentile) {
  if (values.empty()) return 0.0;
  std::vector<double> magnitudes(values.size());
  std::transform(values.begin(), values.end(), magnitudes.begin(), [](double value) { return std::fabs(value); });
  const double last = static_cast<double>(magnitudes.size() - 1);
  const double position = last * (percentile / 100.0);
  // Only the two order statistics around the position matter: selecting them
  // gives the sorted values at those ranks without sorting the whole tensor.
  if (position >= last) return *std::max_element(magnitudes.begin(), magnitudes.end());
  const double below_position = std::floor(position);
  const double weight = position - below_position;
  const auto below_rank = magnitudes.begin() + static_cast<std::ptrdiff_t>(below_position);
  std::nth_element(magnitudes.begin(), below_rank, magnitudes.end());
  const double below = *below_rank;
  const double above = *std::min_element(below_rank + 1, magnitudes.end());
  const double difference = above - below;
  return weight >= 0.5 ? above - difference * (1.0 - weight) : below + difference * weight;
}

double best_clip_candidate(const std::vector<std::span<const double>>& channels,
                           const std::function<double(double clip)>& error) {
  double absmax = 0.0;
  for (std::span<const double> channel : channels) {
    for (double value : channel) absmax = std::max(absmax, std::fabs(value));
  }
  if (absmax == 0.0) return 0.0;
  double best_clip = absmax;
  double best_error = std::numeric_limits<double>::infinity();
  for (int k = kMseClipCandidates; k >= 1; --k) {
    const double clip = absmax * (static_cast<double>(k) / kMseClipCandidates);
    const double candidate_error = error(clip);
    if (candidate_error < best_error) {
      best_error = candidate_error;
      best_clip = clip;
    }
  }
  return best_clip;
}

double mse_optimal_clip(const std::vector<std::span<const double>>& channels, int bits, bool symmetric) {
  return best_clip_candidate(channels, [&](double clip) {
    double error = 0.0;
    for (std::span<const double> channel : channels) error += fit_channel(channel, clip, bits, symmetric).squared_error;
    return error;
  });
}

}  // namespace edgeport
