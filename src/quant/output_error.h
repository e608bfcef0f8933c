#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "quant/layer_statistics.h"

namespace edgeport {

// The expected squared output error of one output channel when its weight
// row w becomes w + d: E[(d . x)^2] = d^T H d over the layer's calibration
// inputs x. With bias correction the mean shift d . mu is removed from the
// bias, so what remains is d^T (H - mu mu^T) d, the covariance form.
class OutputErrorMetric {
 public:
  OutputErrorMetric(const LayerStatistics& statistics, std::int64_t group, bool remove_mean);

  std::int64_t size() const { return size_; }
  // Only the diagonal is known: the error of each weight is independent of
  // the others, so nearest rounding is already optimal.
  bool diagonal() const { return diagonal_; }
  double entry(std::int64_t row, std::int64_t column) const;
  // Row `index` of the full matrix (not when diagonal). M is symmetric, bit
  // for bit, so a row is also the column.
  const double* row(std::int64_t index) const;
  // d^T M d.
  double energy(std::span<const double> d) const;
  // energy() of each vector, the same bits, reading M once per block of
  // vectors instead of once per vector: M is megabytes for a wide layer.
  std::vector<double> energies(std::span<const std::span<const double>> ds) const;
  // M d, for incremental updates.
  std::vector<double> times(std::span<const double> d) const;
  // times() of each vector, the same bits, reading M once for all of them.
  std::vector<std::vector<double>> times(std::span<const std::span<const double>> ds) const;

 private:
  std::int64_t size_;
  bool diagonal_;
  std::vector<double> matrix_;  // K*K row-major, or K when diagonal
};

// The metrics of every group of a layer; the group of output channel o is
// o / (out_channels / groups).
struct LayerOutputError {
  std::vector<OutputErrorMetric> groups;
  std::int64_t channels_per_group = 1;

  LayerOutputError(const LayerStatistics& statistics, std::int64_t out_channels, bool remove_mean);
  const OutputErrorMetric& of_channel(std::int64_t channel) const;
};

}  // namespace edgeport
