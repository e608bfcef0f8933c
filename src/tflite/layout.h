#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace edgeport::tflite_layout {

// How a TFLite tensor holds an IR value: TFLite axis i is IR axis perm[i], so
// tflite_shape[i] == ir_shape[perm[i]]. The IR is NCHW; TFLite image ops are
// NHWC, which is the perm {0, 2, 3, 1} of a 4-d value.
using Perm = std::vector<int>;

Perm identity(std::size_t rank);
Perm nhwc();
bool is_identity(const Perm& perm);
Perm inverse(const Perm& perm);
// result[i] = first[second[i]]: applying `first` after `second`.
Perm compose(const Perm& first, const Perm& second);
// Checks that perm is a permutation of 0..rank-1; `what` names it in the error.
void check_permutation(const Perm& perm, std::size_t rank, const std::string& what);

// out[i] = shape[perm[i]].
Shape permute_shape(const Shape& shape, const Perm& perm);
// Tensor::permuted for a Perm: result.shape()[i] == tensor.shape()[perm[i]],
// a per-axis quantization axis moving with its axis.
Tensor permute_tensor(const Tensor& tensor, const Perm& perm);
// Where `axis` ended up: the i with perm[i] == axis.
int position_of(const Perm& perm, int axis);

// True when laying out a row-major array of `shape` in the axis order `perm`
// leaves its elements in the same linear order (the axes with extent above 1
// keep their relative order), so a RESHAPE can stand in for a TRANSPOSE.
bool keeps_element_order(const Shape& shape, const Perm& perm);

// The order of the axes that survive a reduction: `perm` restricted to the
// IR axes not in `reduced`, renumbered to 0..k-1.
Perm surviving_perm(const Perm& perm, const std::vector<int>& reduced);

}  // namespace edgeport::tflite_layout
