#pragma once

#include <cstddef>

#include "tflite/version_registry.h"

namespace edgeport {

// Conditions of TFLite's op-version rules that several builtins share.
bool is(const TfliteTensorSpec* tensor, tflite::TensorType type);
std::size_t rank_of(const TfliteTensorSpec* tensor);
// Float activations with an int8 weight: TFLite's hybrid (dynamic-range) kernels.
bool is_hybrid(const TfliteVersionQuery& query);
// Int8 activations, weights and output: a fully quantized kernel.
bool is_all_int8(const TfliteVersionQuery& query);
// One scale per entry of `dimension` of the tensor's shape (and more than one
// when `require_several`).
bool has_scales_along(const TfliteTensorSpec* tensor, std::size_t dimension, bool require_several);

// The rule of most element-wise builtins: version 2 for int8, else 1.
int int8_version(const TfliteVersionQuery& query);
// Version 3 for int16, 2 for int8, else 1.
int int16_int8_version(const TfliteVersionQuery& query);

}  // namespace edgeport
