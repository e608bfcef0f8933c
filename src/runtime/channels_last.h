#pragma once

#include <algorithm>
#include <cstdint>

namespace edgeport {

// out[c][r] = in[r][c] for an in of rows x columns, in square tiles so that
// both sides stay in cache: a layout change of a large activation reads and
// writes each line once.
template <typename T>
void transpose_matrix(const T* in, T* out, std::int64_t rows, std::int64_t columns) {
  constexpr std::int64_t kTile = 32;
  for (std::int64_t r0 = 0; r0 < rows; r0 += kTile) {
    const std::int64_t r1 = std::min(rows, r0 + kTile);
    for (std::int64_t c0 = 0; c0 < columns; c0 += kTile) {
      const std::int64_t c1 = std::min(columns, c0 + kTile);
      for (std::int64_t c = c0; c < c1; ++c) {
        for (std::int64_t r = r0; r < r1; ++r) out[c * rows + r] = in[r * columns + c];
      }
    }
  }
}

// Copies between NCHW and NHWC, image by image. The plain kernels of
// channels-last nodes (layout "NHWC", see passes/channels_last) run their
// NCHW reference arithmetic between two such copies.
template <typename T>
void copy_nhwc_to_nchw(const T* nhwc, T* nchw, std::int64_t batch, std::int64_t channels, std::int64_t plane) {
  for (std::int64_t n = 0; n < batch; ++n) {
    transpose_matrix(nhwc + n * plane * channels, nchw + n * plane * channels, plane, channels);
  }
}

template <typename T>
void copy_nchw_to_nhwc(const T* nchw, T* nhwc, std::int64_t batch, std::int64_t channels, std::int64_t plane) {
  for (std::int64_t n = 0; n < batch; ++n) {
    transpose_matrix(nchw + n * plane * channels, nhwc + n * plane * channels, channels, plane);
  }
}

}  // namespace edgeport
