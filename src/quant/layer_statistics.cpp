#include "quant/layer_statistics.h"

#include <algorithm>

#include "core/error.h"
#include "core/op_registry.h"
#include "core/ops/conv.h"
#include "core/ops/linear.h"
#include "core/ops/shape_rules.h"

namespace edgeport {

namespace {

// The index-th of `count` evenly spaced positions out of `total`.
std::int64_t sampled_position(std::int64_t index, std::int64_t total, std::int64_t count) {
  return index * total / count;
}

// Patches whose second moments add_patches takes in one pass over the
// upper triangle: each row of it is read and written once per batch
// instead of once per patch.
constexpr int kBatch = 8;

template <int Count>
[[gnu::always_inline]] inline void add_scaled_fixed(double* __restrict row, const double* scales,
                                                    const double* const* values, std::size_t length) {
  for (std::size_t j = 0; j < length; ++j) {
    double sum = row[j];
    for (int q = 0; q < Count; ++q) sum += scales[q] * values[q][j];
    row[j] = sum;
  }
}

// row += scales[q] * values[q] for q = 0, 1, ... in turn, each sum rounded
// as if added one patch at a time: the second moment's inner loop, most of
// calibration's time on large layers. Cloned for the widest vectors the
// CPU has; the file is built without multiply-add fusion, so every clone
// rounds as the portable one does and the statistics do not depend on the
// machine.
__attribute__((target_clones("avx512f", "avx2", "default"))) void add_scaled(double* row, const double* scales,
                                                                              const double* const* values, int count,
                                                                              std::size_t length) {
  switch (count) {
    case 1: return add_scaled_fixed<1>(row, scales, values, length);
    case 2: return add_scaled_fixed<2>(row, scales, values, length);
    case 3: return add_scaled_fixed<3>(row, scales, values, length);
    case 4: return add_scaled_fixed<4>(row, scales, values, length);
    case 5: return add_scaled_fixed<5>(row, scales, values, length);
    case 6: return add_scaled_fixed<6>(row, scales, values, length);
    case 7: return add_scaled_fixed<7>(row, scales, values, length);
    default: return add_scaled_fixed<kBatch>(row, scales, values, length);
  }
}

}  // namespace

double LayerStatistics::moment(std::int64_t group, std::int64_t row, std::int64_t column) const {
  const std::vector<double>& h = second_moment[static_cast<std::size_t>(group)];
  if (diagonal) return row == column ? h[static_cast<std::size_t>(row)] : 0.0;
  return h[static_cast<std::size_t>(row * patch_size + column)];
}

LayerStatisticsAccumulator::LayerStatisticsAccumulator(const Graph& graph, const Node& node)
    : node_(&node), conv_(node.op == op::Conv) {
  if (!conv_ && node.op != op::Linear) fail_node(node, "layer statistics need a Conv or Linear node");
  if (node.inputs.size() < 2) fail_node(node, "has no weight input");
  weight_shape_ = graph.value(node.inputs[1]).shape;
  sums_.node = node.name;
  if (conv_) {
    if (weight_shape_.size() != 4) fail_node(node, "expects an OIHW weight, got " + shape_to_string(weight_shape_));
    const Window2d window = read_window(node, {weight_shape_[2], weight_shape_[3]});
    strides_ = window.strides;
    pads_ = window.pads;
    dilations_ = window.dilations;
    sums_.groups = node.attrs.get_int("group", 1);
    if (sums_.groups <= 0 || weight_shape_[0] % sums_.groups != 0) {
      fail_node(node, "group " + std::to_string(sums_.groups) + " does not divide weight " +
                          shape_to_string(weight_shape_));
    }
    sums_.patch_size = weight_shape_[1] * weight_shape_[2] * weight_shape_[3];
  } else {
    if (weight_shape_.size() != 2) fail_node(node, "expects an [out, in] weight, got " + shape_to_string(weight_shape_));
    sums_.patch_size = weight_shape_[1];
  }
  sums_.diagonal = sums_.patch_size > kMaxFullPatchSize;
  const std::size_t k = static_cast<std::size_t>(sums_.patch_size);
  sums_.mean.assign(static_cast<std::size_t>(sums_.groups), std::vector<double>(k, 0.0));
  sums_.second_moment.assign(static_cast<std::size_t>(sums_.groups),
                             std::vector<double>(sums_.diagonal ? k : k * k, 0.0));
}

void LayerStatisticsAccumulator::add_patches(std::int64_t group, const double* patches, int count) {
  std::vector<double>& mean = sums_.mean[static_cast<std::size_t>(group)];
  std::vector<double>& h = sums_.second_moment[static_cast<std::size_t>(group)];
  const std::size_t k = static_cast<std::size_t>(sums_.patch_size);
  double scales[kBatch];
  const double* rows[kBatch];
  for (std::size_t i = 0; i < k; ++i) {
    int nonzero = 0;
    for (int b = 0; b < count; ++b) {
      const double xi = patches[static_cast<std::size_t>(b) * k + i];
      // Post-ReLU activations and padding are mostly zero; their products add nothing.
      if (xi == 0.0) continue;
      mean[i] += xi;
      if (sums_.diagonal) {
        h[i] += xi * xi;
        continue;
      }
      scales[nonzero] = xi;
      rows[nonzero] = patches + static_cast<std::size_t>(b) * k + i;
      ++nonzero;
    }
    // The upper triangle only; finish() mirrors it.
    if (nonzero > 0) add_scaled(h.data() + i * k + i, scales, rows, nonzero, k - i);
  }
}

void LayerStatisticsAccumulator::add(const Tensor& input) {
  const Shape& x = input.shape();
  if (input.dtype() != DType::Float32) fail_node(*node_, "calibration input must be float32");
  const float* data = input.data<float>();
  const std::int64_t k = sums_.patch_size;
  const std::int64_t cost_per_position = sums_.diagonal ? k * sums_.groups : k * (k + 1) / 2 * sums_.groups;
  const std::int64_t affordable = std::max<std::int64_t>(1, kMomentBudgetPerInput / std::max<std::int64_t>(1, cost_per_position));
  // kBatch patches per group, [group][patch][k], handed to add_patches together.
  std::vector<double> batch(static_cast<std::size_t>(kBatch * k * sums_.groups));
  const auto flush = [&](int patches) {
    for (std::int64_t group = 0; group < sums_.groups; ++group) {
      add_patches(group, batch.data() + group * kBatch * k, patches);
    }
  };

  if (!conv_) {
    if (x.empty() || x.back() != k) {
      fail_node(*node_, "input " + shape_to_string(x) + " does not match weight " + shape_to_string(weight_shape_));
    }
    const std::int64_t rows = shape_numel(x) / k;
    const std::int64_t count = std::min(rows, affordable);
    for (std::int64_t index = 0; index < count; ++index) {
      const float* row = data + sampled_position(index, rows, count) * k;
      std::copy(row, row + k, batch.begin() + index % kBatch * k);
      if (index % kBatch == kBatch - 1) flush(kBatch);
    }
    if (count % kBatch != 0) flush(static_cast<int>(count % kBatch));
    sums_.samples += count;
    return;
  }

  const std::int64_t channels_per_group = weight_shape_[1];
  if (x.size() != 4 || x[1] != channels_per_group * sums_.groups) {
    fail_node(*node_, "input " + shape_to_string(x) + " does not match weight " + shape_to_string(weight_shape_) +
                          " with group " + std::to_string(sums_.groups));
  }
  const std::int64_t kh = weight_shape_[2], kw = weight_shape_[3];
  const std::int64_t in_h = x[2], in_w = x[3];
  const std::int64_t out_h = window_output(in_h, kh, strides_[0], pads_[0], pads_[2], dilations_[0], false, *node_);
  const std::int64_t out_w = window_output(in_w, kw, strides_[1], pads_[1], pads_[3], dilations_[1], false, *node_);
  const std::int64_t total = x[0] * out_h * out_w;
  const std::int64_t count = std::min(total, affordable);
  for (std::int64_t index = 0; index < count; ++index) {
    const std::int64_t position = sampled_position(index, total, count);
    const std::int64_t n = position / (out_h * out_w);
    const std::int64_t oy = position / out_w % out_h;
    const std::int64_t ox = position % out_w;
    for (std::int64_t group = 0; group < sums_.groups; ++group) {
      double* patch = batch.data() + (group * kBatch + index % kBatch) * k;
      std::size_t slot = 0;
      for (std::int64_t c = 0; c < channels_per_group; ++c) {
        const float* plane = data + ((n * x[1]) + group * channels_per_group + c) * in_h * in_w;
        for (std::int64_t ky = 0; ky < kh; ++ky) {
          const std::int64_t iy = oy * strides_[0] + ky * dilations_[0] - pads_[0];
          for (std::int64_t kx = 0; kx < kw; ++kx) {
            const std::int64_t ix = ox * strides_[1] + kx * dilations_[1] - pads_[1];
            const bool inside = iy >= 0 && iy < in_h && ix >= 0 && ix < in_w;
            patch[slot++] = inside ? plane[iy * in_w + ix] : 0.0;
          }
        }
      }
    }
    if (index % kBatch == kBatch - 1) flush(kBatch);
  }
  if (count % kBatch != 0) flush(static_cast<int>(count % kBatch));
  sums_.samples += count;
}

LayerStatistics LayerStatisticsAccumulator::finish() {
  if (sums_.samples == 0) fail_node(*node_, "no calibration input reached this layer");
  LayerStatistics result = std::move(sums_);
  const double inverse = 1.0 / static_cast<double>(result.samples);
  const std::size_t k = static_cast<std::size_t>(result.patch_size);
  for (std::size_t group = 0; group < result.mean.size(); ++group) {
    for (double& value : result.mean[group]) value *= inverse;
    std::vector<double>& h = result.second_moment[group];
    for (double& value : h) value *= inverse;
    if (result.diagonal) continue;
    for (std::size_t i = 0; i < k; ++i) {
      for (std::size_t j = 0; j < i; ++j) h[i * k + j] = h[j * k + i];
    }
  }
  return result;
}

}  // namespace edgeport
