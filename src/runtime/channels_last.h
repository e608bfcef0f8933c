#pragma once

#include <cstdint>

namespace edgeport {

// Copies between NCHW and NHWC. The plain kernels of channels-last nodes
// (layout "NHWC", see passes/channels_last) run their NCHW reference
// arithmetic between two such copies.
template <typename T>
void copy_nhwc_to_nchw(const T* nhwc, T* nchw, std::int64_t batch, std::int64_t channels, std::int64_t plane) {
  for (std::int64_t n = 0; n < batch; ++n) {
    for (std::int64_t p = 0; p < plane; ++p) {
      for (std::int64_t c = 0; c < channels; ++c) {
        nchw[(n * channels + c) * plane + p] = nhwc[(n * plane + p) * channels + c];
      }
    }
  }
}

template <typename T>
void copy_nchw_to_nhwc(const T* nchw, T* nhwc, std::int64_t batch, std::int64_t channels, std::int64_t plane) {
  for (std::int64_t n = 0; n < batch; ++n) {
    for (std::int64_t c = 0; c < channels; ++c) {
      for (std::int64_t p = 0; p < plane; ++p) {
        nhwc[(n * plane + p) * channels + c] = nchw[(n * channels + c) * plane + p];
      }
    }
  }
}

}  // namespace edgeport
