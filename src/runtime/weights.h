#pragma once

#include <cstdint>
#include <vector>

#include "runtime/kernel.h"

namespace edgeport {

// Conv and Linear read their weight (input 1) either as float32 or, following
// the quantized-weight convention in DEVELOPERS.md, as an int8 constant
// carrying quantization parameters.

// True when the node asks for TFLite's hybrid arithmetic (attribute hybrid=1)
// and the run allows it (RunOptions::hybrid).
bool runs_hybrid(const KernelContext& context);

// The weight as float32: the input itself, or the real values of a quantized
// integer constant.
class FloatWeight {
 public:
  explicit FloatWeight(const KernelContext& context);
  const float* data() const { return source_->data<float>(); }

 private:
  Tensor dequantized_;
  const Tensor* source_ = nullptr;
};

// A symmetric int8 weight for the hybrid kernels: its codes and one scale per
// output channel (a per-tensor scale is repeated). Found either as the node's
// int8 weight input or behind a Dequantize of an int8 constant. An Error names
// the node when there is no int8 weight, it is not symmetric, or its
// parameters are not per-tensor or per output channel (axis 0).
struct HybridWeight {
  const std::int8_t* codes = nullptr;
  std::vector<float> channel_scales;
};
HybridWeight hybrid_weight(const KernelContext& context);

}  // namespace edgeport
