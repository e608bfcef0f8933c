#include "quant/output_error.h"

#include <algorithm>

namespace edgeport {

OutputErrorMetric::OutputErrorMetric(const LayerStatistics& statistics, std::int64_t group, bool remove_mean)
    : size_(statistics.patch_size),
      diagonal_(statistics.diagonal),
      matrix_(statistics.second_moment[static_cast<std::size_t>(group)]) {
  if (!remove_mean) return;
  const std::vector<double>& mu = statistics.mean[static_cast<std::size_t>(group)];
  const std::size_t k = static_cast<std::size_t>(size_);
  for (std::size_t i = 0; i < k; ++i) {
    if (diagonal_) {
      matrix_[i] -= mu[i] * mu[i];
      continue;
    }
    for (std::size_t j = 0; j < k; ++j) matrix_[i * k + j] -= mu[i] * mu[j];
  }
}

namespace {

// 32 running sums, lane l taking the products j = l mod 32, added in a fixed
// order at the end: vectors of any width compute exactly these sums, so every
// clone (and every machine) gets the same bits; four AVX-512 accumulators
// hide the adds' latency. The file is built without multiply-add fusion for
// the same reason.
constexpr std::size_t kLanes = 32;

__attribute__((target_clones("avx512f", "avx2", "default"))) double dot(const double* a, const double* b,
                                                                        std::size_t count) {
  double lanes[kLanes] = {};
  std::size_t j = 0;
  for (; j + kLanes <= count; j += kLanes) {
    for (std::size_t l = 0; l < kLanes; ++l) lanes[l] += a[j + l] * b[j + l];
  }
  double sum = 0.0;
  for (double lane : lanes) sum += lane;
  for (; j < count; ++j) sum += a[j] * b[j];
  return sum;
}

// The dots of `a` with Count vectors, each summed exactly as dot() sums it,
// lane for lane and in the same final order: the vectors share each load of
// `a`, and their final additions, one long chain per dot, run interleaved.
template <int Count>
[[gnu::always_inline]] inline void dots_fixed(const double* a, const double* const* bs, std::size_t count,
                                              double* out) {
  double lanes[Count][kLanes] = {};
  std::size_t j = 0;
  for (; j + kLanes <= count; j += kLanes) {
    for (int v = 0; v < Count; ++v) {
      for (std::size_t l = 0; l < kLanes; ++l) lanes[v][l] += a[j + l] * bs[v][j + l];
    }
  }
  double sums[Count] = {};
  for (std::size_t l = 0; l < kLanes; ++l) {
    for (int v = 0; v < Count; ++v) sums[v] += lanes[v][l];
  }
  for (; j < count; ++j) {
    for (int v = 0; v < Count; ++v) sums[v] += a[j] * bs[v][j];
  }
  for (int v = 0; v < Count; ++v) out[v] = sums[v];
}

constexpr int kDots = 4;

__attribute__((target_clones("avx512f", "avx2", "default"))) void dots(const double* a, const double* const* bs,
                                                                       std::size_t count, double* out) {
  dots_fixed<kDots>(a, bs, count, out);
}

}  // namespace

const double* OutputErrorMetric::row(std::int64_t index) const {
  return matrix_.data() + static_cast<std::size_t>(index * size_);
}

double OutputErrorMetric::entry(std::int64_t row, std::int64_t column) const {
  if (diagonal_) return row == column ? matrix_[static_cast<std::size_t>(row)] : 0.0;
  return matrix_[static_cast<std::size_t>(row * size_ + column)];
}

std::vector<double> OutputErrorMetric::times(std::span<const double> d) const {
  const std::size_t k = static_cast<std::size_t>(size_);
  std::vector<double> result(k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    if (diagonal_) {
      result[i] = matrix_[i] * d[i];
      continue;
    }
    result[i] = dot(matrix_.data() + i * k, d.data(), k);
  }
  return result;
}

std::vector<std::vector<double>> OutputErrorMetric::times(std::span<const std::span<const double>> ds) const {
  std::vector<std::vector<double>> results;
  if (diagonal_) {
    for (std::span<const double> d : ds) results.push_back(times(d));
    return results;
  }
  const std::size_t k = static_cast<std::size_t>(size_);
  results.assign(ds.size(), std::vector<double>(k, 0.0));
  for (std::size_t i = 0; i < k; ++i) {
    const double* row = matrix_.data() + i * k;
    std::size_t v = 0;
    for (; v + kDots <= ds.size(); v += kDots) {
      const double* vectors[kDots];
      for (int q = 0; q < kDots; ++q) vectors[q] = ds[v + q].data();
      double products[kDots];
      dots(row, vectors, k, products);
      for (int q = 0; q < kDots; ++q) results[v + q][i] = products[q];
    }
    for (; v < ds.size(); ++v) results[v][i] = dot(row, ds[v].data(), k);
  }
  return results;
}

double OutputErrorMetric::energy(std::span<const double> d) const {
  const std::size_t k = static_cast<std::size_t>(size_);
  double sum = 0.0;
  // M is symmetric: the upper triangle counted twice halves the work of the
  // clip search, which evaluates this 100 times per channel.
  for (std::size_t i = 0; i < k; ++i) {
    if (diagonal_) {
      sum += matrix_[i] * d[i] * d[i];
      continue;
    }
    const double* row = matrix_.data() + i * k;
    const double off_diagonal = dot(row + i + 1, d.data() + i + 1, k - i - 1);
    sum += d[i] * (row[i] * d[i] + 2.0 * off_diagonal);
  }
  return sum;
}

std::vector<double> OutputErrorMetric::energies(std::span<const std::span<const double>> ds) const {
  // Vectors per pass over M: their rows stay in cache while M streams by.
  constexpr std::size_t kBlock = 16;
  std::vector<double> sums(ds.size(), 0.0);
  if (diagonal_) {
    for (std::size_t v = 0; v < ds.size(); ++v) sums[v] = energy(ds[v]);
    return sums;
  }
  const std::size_t k = static_cast<std::size_t>(size_);
  for (std::size_t first = 0; first < ds.size(); first += kBlock) {
    const std::size_t last = std::min(ds.size(), first + kBlock);
    for (std::size_t i = 0; i < k; ++i) {
      const double* row = matrix_.data() + i * k;
      std::size_t v = first;
      for (; v + kDots <= last; v += kDots) {
        const double* tails[kDots];
        for (int q = 0; q < kDots; ++q) tails[q] = ds[v + q].data() + i + 1;
        double off_diagonal[kDots];
        dots(row + i + 1, tails, k - i - 1, off_diagonal);
        for (int q = 0; q < kDots; ++q) {
          const double* d = ds[v + q].data();
          sums[v + q] += d[i] * (row[i] * d[i] + 2.0 * off_diagonal[q]);
        }
      }
      for (; v < last; ++v) {
        const double* d = ds[v].data();
        const double off_diagonal = dot(row + i + 1, d + i + 1, k - i - 1);
        sums[v] += d[i] * (row[i] * d[i] + 2.0 * off_diagonal);
      }
    }
  }
  return sums;
}

LayerOutputError::LayerOutputError(const LayerStatistics& statistics, std::int64_t out_channels, bool remove_mean)
    : channels_per_group(out_channels / statistics.groups) {
  for (std::int64_t group = 0; group < statistics.groups; ++group) groups.emplace_back(statistics, group, remove_mean);
}

const OutputErrorMetric& LayerOutputError::of_channel(std::int64_t channel) const {
  return groups[static_cast<std::size_t>(channel / channels_per_group)];
}

}  // namespace edgeport
