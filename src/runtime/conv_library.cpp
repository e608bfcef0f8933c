#include "runtime/conv_library.h"

#include "runtime/conv_onednn.h"
#include "runtime/conv_pointwise.h"
#include "runtime/conv_winograd.h"

namespace edgeport {

namespace {

// Below 16 channels on both sides the library's blocked kernels pad every
// channel block to 16 and the layout reorders cost more than the arithmetic.
constexpr std::int64_t kLibraryChannels = 16;

bool left_to_direct_kernels(const ConvGeometry& g) {
  return g.in_channels_per_group() < kLibraryChannels && g.out_channels < kLibraryChannels;
}

}  // namespace

bool runs_on_library(const ConvGeometry& geometry) { return !left_to_direct_kernels(geometry); }

Kernel prepare_library_conv(const ConvGeometry& geometry, const Tensor& weight_oihw_float32, const Tensor* bias_or_null,
                            ActivationRange activation, const RunOptions& options) {
  if (!runs_on_library(geometry)) return {};
  // Channels-last activations are oneDNN's own layout for every geometry.
  if (is_pointwise(geometry) && !geometry.channels_last) {
    return prepare_pointwise_conv(geometry, weight_oihw_float32, bias_or_null, activation, options);
  }
  if (runs_as_winograd(geometry)) {
    return prepare_winograd_conv(geometry, weight_oihw_float32, bias_or_null, activation, options);
  }
  return prepare_onednn_conv(geometry, weight_oihw_float32, bias_or_null, activation, options);
}

}  // namespace edgeport
