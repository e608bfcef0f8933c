#pragma once

#include <cstdint>

#include "runtime/conv_geometry.h"

namespace edgeport {

// The int32 sums of one image's convolution, as accumulate_plane computes
// them: sums[o * out_h * out_w + p] = sum over the taps of output p that fall
// inside the image of centred[c, y, x] x weight[o, c, ky, kx] (taps in the
// padding add nothing). `centred` is the image's codes minus their zero point
// (within +-255), [C, H, W]; `weight` is [O, C/group, kH, kW]. Integer sums do
// not depend on their order, so with 16 or more output channels per group
// this gathers each output's window into a row and takes 16-bit dot products
// on the widest vectors the CPU has: the same sums, bit for bit, many times
// faster than plane by plane, which fewer channels keep.
void integer_conv_sums(const ConvGeometry& geometry, const std::int16_t* centred, const std::int8_t* weight,
                       std::int32_t* sums, int threads);

}  // namespace edgeport
