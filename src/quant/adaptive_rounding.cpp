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

namespace {

// One row's state between the batched measurements.
struct RowDescent {
  std::vector<std::int32_t> nearest;
  std::vector<std::int32_t> other;  // the far-side code of each weight
  std::vector<bool> has_other;
  std::vector<double> error;
};

// The other candidate of each weight: the code on the far side of
// value/scale + zero point; none when that falls outside the code range or
// the value sits exactly on a code.
RowDescent start_descent(const RoundingRow& row) {
  const std::size_t k = row.values.size();
  RowDescent descent;
  descent.nearest.assign(row.codes.begin(), row.codes.end());
  descent.other.assign(k, 0);
  descent.has_other.assign(k, false);
  for (std::size_t i = 0; i < k; ++i) {
    const double exact = row.values[i] / static_cast<double>(row.params.scale) + row.params.zero_point;
    const double below = std::floor(exact);
    if (below == exact) continue;
    const std::int32_t code = row.codes[i];
    const std::int32_t alternative = code == static_cast<std::int32_t>(below) ? code + 1 : code - 1;
    const bool floor_or_ceil = alternative == static_cast<std::int32_t>(below) ||
                               alternative == static_cast<std::int32_t>(below) + 1;
    if (!floor_or_ceil || alternative < row.range.lo || alternative > row.range.hi) continue;
    descent.other[i] = alternative;
    descent.has_other[i] = true;
  }
  descent.error = weight_error(row.values, row.codes, row.params);
  return descent;
}

// The coordinate-descent sweeps, with g = M d kept current as weights flip,
// so that trying a flip costs O(1) and accepting one O(K).
void sweep(const RoundingRow& row, RowDescent& descent, std::vector<double>& g) {
  const std::size_t k = row.values.size();
  for (int pass = 0; pass < kMaxRoundingSweeps; ++pass) {
    bool flipped = false;
    for (std::size_t i = 0; i < k; ++i) {
      if (!descent.has_other[i]) continue;
      const double candidate = static_cast<double>(dequantize_value(descent.other[i], row.params)) - row.values[i];
      const double delta = candidate - descent.error[i];
      const double change = 2.0 * delta * g[i] + delta * delta * row.metric->entry(static_cast<std::int64_t>(i),
                                                                                     static_cast<std::int64_t>(i));
      // Strictly lower, by more than rounding noise, so sweeps cannot cycle.
      if (!(change < -1e-12 * std::fabs(delta * g[i]))) continue;
      std::swap(row.codes[i], descent.other[i]);
      descent.error[i] = candidate;
      add_scaled_row(g.data(), delta, row.metric->row(static_cast<std::int64_t>(i)), k);
      flipped = true;
    }
    if (!flipped) break;
  }
}

// Rows sharing one metric, measured together.
std::int64_t round_block(std::span<const RoundingRow> rows) {
  const OutputErrorMetric& metric = *rows.front().metric;
  std::vector<RowDescent> descents;
  std::vector<std::span<const double>> errors;
  for (const RoundingRow& row : rows) descents.push_back(start_descent(row));
  for (const RowDescent& descent : descents) errors.emplace_back(descent.error);
  std::vector<std::vector<double>> g = metric.times(errors);
  for (std::size_t r = 0; r < rows.size(); ++r) sweep(rows[r], descents[r], g[r]);
  // Each accepted flip lowered the objective in exact arithmetic; this check
  // keeps the promise against accumulated floating-point drift in g.
  std::vector<std::vector<double>> compared;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    compared.push_back(weight_error(rows[r].values, rows[r].codes, rows[r].params));
    compared.push_back(weight_error(rows[r].values, descents[r].nearest, rows[r].params));
  }
  const std::vector<std::span<const double>> vectors(compared.begin(), compared.end());
  const std::vector<double> energies = metric.energies(vectors);
  std::int64_t flips = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::vector<std::int32_t>& nearest = descents[r].nearest;
    if (energies[2 * r] > energies[2 * r + 1]) std::copy(nearest.begin(), nearest.end(), rows[r].codes.begin());
    for (std::size_t i = 0; i < nearest.size(); ++i) flips += rows[r].codes[i] != nearest[i];
  }
  return flips;
}

}  // namespace

std::int64_t adaptive_round_rows(std::span<const RoundingRow> rows) {
  // Rows per pass over their metric: their vectors stay in cache while it streams by.
  constexpr std::size_t kBlock = 32;
  std::int64_t flips = 0;
  std::size_t first = 0;
  while (first < rows.size()) {
    std::size_t last = first + 1;
    while (last < rows.size() && last - first < kBlock && rows[last].metric == rows[first].metric) ++last;
    if (!rows[first].metric->diagonal()) flips += round_block(rows.subspan(first, last - first));
    first = last;
  }
  return flips;
}

}  // namespace edgeport
