#pragma once

#include <cstdint>
#include <vector>

#include "runtime/activation.h"
#include "runtime/conv_geometry.h"

namespace edgeport {

// A float32 convolution prepared to compute one output row at a time, for
// every output channel, with fused multiply-adds on the widest vectors the
// CPU has (AVX-512, AVX2, or a portable path). It reads its input rows in its
// own row layout (below), so that no tap ever tests for padding: the caller
// lays the rows out once and every tap is a plain contiguous load.
//
// Row layout: an input row padded with pad_left zeros before and pad_right
// zeros after, then split into stride_w phases (phase p holds padded columns
// p, p + stride_w, ...), each phase_length() floats long.
class ConvRows {
 public:
  ConvRows(const ConvGeometry& geometry, const float* weight_oihw, const float* bias, ActivationRange activation);

  const ConvGeometry& geometry() const { return g_; }
  std::int64_t phase_length() const { return phase_length_; }
  std::int64_t row_floats() const { return g_.stride_w * phase_length_; }
  // Scratch pointers compute_row needs.
  std::int64_t scratch_pointers() const { return static_cast<std::int64_t>(taps_per_group_); }

  // One output row. rows[c * kernel_h + ky] is input channel c's row for
  // kernel row ky in the row layout (a zero row where the window hangs over
  // the top or bottom); outputs[o] receives out_w floats for output channel o.
  void compute_row(const float* const* rows, float* const* outputs, const float** scratch) const;

 private:
  // One block of output channels within a group: its packed weights, tap
  // by tap, block_size floats per tap.
  struct ChannelBlock {
    std::int64_t group = 0;
    std::int64_t first_channel = 0;
    int size = 0;
    std::vector<float> weights;
    std::vector<float> bias;
  };

  ConvGeometry g_;
  ActivationRange activation_;
  std::int64_t phase_length_ = 0;
  std::size_t taps_per_group_ = 0;
  // Per tap of a group: the row it reads (channel within the group * kernel_h
  // + ky) and its offset within that row's layout.
  std::vector<std::int64_t> tap_rows_;
  std::vector<std::int64_t> tap_offsets_;
  std::vector<ChannelBlock> blocks_;
};

// Lays a padded row out in stride phases: out[p * phase_length + i] =
// padded[p + stride * i] for every column of `padded` (length floats).
void split_phases(const float* padded, std::int64_t length, std::int64_t stride, std::int64_t phase_length,
                  float* out);

}  // namespace edgeport
