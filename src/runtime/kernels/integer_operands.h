#pragma once

#include <cstdint>
#include <vector>

#include "runtime/kernel.h"

namespace edgeport {

// An 8-bit operand of ConvInteger / MatMulInteger with its zero point already
// subtracted: (code - zero_point) as int32, element by element.
std::vector<std::int32_t> centered_codes(const Tensor& codes, std::int32_t zero_point);

// The zero point(s) of an 8-bit operand read from optional input `index`:
// `count` values, a single value repeated when the input holds one, zeros when
// the input is absent.
std::vector<std::int32_t> zero_points(const KernelContext& context, std::size_t index, std::int64_t count);

}  // namespace edgeport
