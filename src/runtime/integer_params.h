#pragma once

#include <string>
#include <vector>

#include "core/tensor.h"
#include "runtime/fixed_point.h"
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

// Per output channel of a weighted integer op (input 1 its symmetric int8
// weight, per tensor or per channel): the fixed-point form of input scale x
// weight scale / output scale, computed in double as TFLite does. An Error
// naming the node and weight for a zero point or a scale count that does
// not fit.
std::vector<QuantizedMultiplier> weight_multipliers(const KernelContext& context, float input_scale,
                                                   float output_scale, std::int64_t channels);

// The rescale the session's integer arithmetic asks for (TfliteReference's
// two roundings, or TfliteSingleRounding's one).
std::int32_t requantize(const KernelContext& context, std::int32_t x, const QuantizedMultiplier& multiplier);

}  // namespace edgeport
