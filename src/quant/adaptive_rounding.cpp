#include "quant/adaptive_rounding.h"

#include <algorithm>
#include <cmath>

namespace edgeport {

std::vector<double> weight_error(std::span<const double> values, std::span<const std::int32_t> codes,
                                 const AffineParams& params) {
  std::vector<double> error(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    error[i] = static_cast<double>(dequantize_value(codes[i], params)) - values[i];
  }
  return error;
}

namespace {

// g += delta x column i of M, read as row i (M is symmetric): contiguous, so
// it vectorizes; each element's one product and add round as before.
__attribute__((target_clones("avx512f", "avx2", "default"))) void add_scaled_row(double* g, double delta,
                                                                                 const double* row,
                                                                                 std::size_t count) {
  for (std::size_t j = 0; j < count; ++j) g[j] += delta * row[j];
}

}  // namespace

RoundingOutcome adaptive_round(std::span<const double> values, const AffineParams& params, const CodeRange& range,
                               const OutputErrorMetric& metric, std::vector<std::int32_t>& codes) {
  RoundingOutcome outcome;
  if (metric.diagonal()) return outcome;
  const std::size_t k = values.size();
  // The other candidate of each weight: the code on the far side of
  // value/scale + zero point; none when that falls outside the code range or
  // the value sits exactly on a code.
  std::vector<std::int32_t> other(k);
  std::vector<bool> has_other(k, false);
  const std::vector<std::int32_t> nearest = codes;
  for (std::size_t i = 0; i < k; ++i) {
    const double exact = values[i] / static_cast<double>(params.scale) + params.zero_point;
    const double below = std::floor(exact);
    if (below == exact) continue;
    const std::int32_t alternative = codes[i] == static_cast<std::int32_t>(below) ? codes[i] + 1 : codes[i] - 1;
    const bool floor_or_ceil = alternative == static_cast<std::int32_t>(below) ||
                               alternative == static_cast<std::int32_t>(below) + 1;
    if (!floor_or_ceil || alternative < range.lo || alternative > range.hi) continue;
    other[i] = alternative;
    has_other[i] = true;
  }
  std::vector<double> error = weight_error(values, codes, params);
  // g = M d, kept current as weights flip, so that trying a flip costs O(1)
  // and accepting one O(K).
  std::vector<double> g = metric.times(error);
  for (int sweep = 0; sweep < kMaxRoundingSweeps; ++sweep) {
    bool flipped = false;
    for (std::size_t i = 0; i < k; ++i) {
      if (!has_other[i]) continue;
      const double candidate = static_cast<double>(dequantize_value(other[i], params)) - values[i];
      const double delta = candidate - error[i];
      const double change = 2.0 * delta * g[i] + delta * delta * metric.entry(static_cast<std::int64_t>(i),
                                                                                static_cast<std::int64_t>(i));
      // Strictly lower, by more than rounding noise, so sweeps cannot cycle.
      if (!(change < -1e-12 * std::fabs(delta * g[i]))) continue;
      std::swap(codes[i], other[i]);
      error[i] = candidate;
      add_scaled_row(g.data(), delta, metric.row(static_cast<std::int64_t>(i)), k);
      flipped = true;
    }
    if (!flipped) break;
  }
  // Each accepted flip lowered the objective in exact arithmetic; this check
  // keeps the promise against accumulated floating-point drift in g.
  const std::vector<double> adapted_error = weight_error(values, codes, params);
  const std::vector<double> nearest_error = weight_error(values, nearest, params);
  const std::span<const double> both[] = {adapted_error, nearest_error};
  const std::vector<double> energies = metric.energies(both);
  if (energies[0] > energies[1]) codes = nearest;
  for (std::size_t i = 0; i < k; ++i) outcome.flips += codes[i] != nearest[i];
  return outcome;
}

}  // namespace edgeport
