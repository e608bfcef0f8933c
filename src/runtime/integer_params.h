#pragma once

#include <string>

#include "core/tensor.h"
#include "runtime/kernel.h"

namespace edgeport {

// The quantization parameters of an integer kernel's input or output: the
// value's (the graph's), else the tensor's. An Error naming the node and the
// value when there are none.
const QuantParams& input_quant(const KernelContext& context, std::size_t index);
const QuantParams& output_quant(const KernelContext& context);

// The one scale and zero point of a per-tensor value; an Error naming the
// node and the value otherwise.
struct TensorQuant {
  float scale;
  std::int32_t zero_point;
};
TensorQuant per_tensor_quant(const KernelContext& context, const QuantParams& params, const std::string& value);

}  // namespace edgeport
