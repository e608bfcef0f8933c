#include "quant/output_error.h"

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
    const double* row = matrix_.data() + i * k;
    double sum = 0.0;
    for (std::size_t j = 0; j < k; ++j) sum += row[j] * d[j];
    result[i] = sum;
  }
  return result;
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
    double off_diagonal = 0.0;
    for (std::size_t j = i + 1; j < k; ++j) off_diagonal += row[j] * d[j];
    sum += d[i] * (row[i] * d[i] + 2.0 * off_diagonal);
  }
  return sum;
}

LayerOutputError::LayerOutputError(const LayerStatistics& statistics, std::int64_t out_channels, bool remove_mean)
    : channels_per_group(out_channels / statistics.groups) {
  for (std::int64_t group = 0; group < statistics.groups; ++group) groups.emplace_back(statistics, group, remove_mean);
}

const OutputErrorMetric& LayerOutputError::of_channel(std::int64_t channel) const {
  return groups[static_cast<std::size_t>(channel / channels_per_group)];
}

}  // namespace edgeport
