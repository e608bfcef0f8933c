// DynamicQuantizeLinear (see src/core/ops/onnx_integer_ops.cpp) in ONNX
// Runtime's float32 arithmetic: the scale and zero point are computed in
// float, x / scale is clamped to the code range and rounded half to even.
#include <algorithm>
#include <cmath>

#include "core/ops/onnx_integer_ops.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

void run_dynamic_quantize(const KernelContext& context) {
  const std::span<const float> x = context.input(0).values<float>();
  float min = 0.0f;
  float max = 0.0f;
  for (float value : x) {
    min = std::min(min, value);
    max = std::max(max, value);
  }
  const float scale = max == min ? 1.0f : (max - min) / 255.0f;
  const float zero_point = std::nearbyint(std::clamp(0.0f - min / scale, 0.0f, 255.0f));
  std::uint8_t* codes = context.output(0).data<std::uint8_t>();
  const float lowest = 0.0f - zero_point;
  const float highest = 255.0f - zero_point;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float scaled = std::clamp(x[i] / scale, lowest, highest);
    codes[i] = static_cast<std::uint8_t>(std::nearbyint(scaled) + zero_point);
  }
  context.output(1).data<float>()[0] = scale;
  context.output(2).data<std::uint8_t>()[0] = static_cast<std::uint8_t>(zero_point);
}

const KernelRegistration registration(op::DynamicQuantizeLinear, run_dynamic_quantize);

}  // namespace
}  // namespace edgeport
