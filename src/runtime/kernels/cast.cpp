// Cast (see src/core/ops/cast.cpp). Float to integer truncates toward zero and
// saturates at the target's range (NaN becomes 0), so no value is undefined.
#include <cmath>
#include <cstring>
#include <limits>

#include "core/ops/cast.h"
#include "core/error.h"
#include "core/ops/cast.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

template <typename Target, typename Source>
Target convert(Source value) {
  if constexpr (std::is_floating_point_v<Source> && std::is_integral_v<Target>) {
    if (std::isnan(value)) return 0;
    const Source truncated = std::trunc(value);
    if (truncated <= static_cast<Source>(std::numeric_limits<Target>::lowest())) {
      return std::numeric_limits<Target>::lowest();
    }
    if (truncated >= static_cast<Source>(std::numeric_limits<Target>::max())) return std::numeric_limits<Target>::max();
    return static_cast<Target>(truncated);
  } else {
    return static_cast<Target>(value);
  }
}

template <typename Target, typename Source>
void convert_all(const Tensor& input, Tensor& output) {
  const Source* source = input.data<Source>();
  Target* target = output.data<Target>();
  for (std::int64_t i = 0; i < input.numel(); ++i) target[i] = convert<Target>(source[i]);
}

template <typename Target>
void convert_to(const KernelContext& context) {
  const Tensor& input = context.input(0);
  Tensor& output = context.output();
  switch (input.dtype()) {
    case DType::Float32: return convert_all<Target, float>(input, output);
    case DType::Float64: return convert_all<Target, double>(input, output);
    case DType::Int64: return convert_all<Target, std::int64_t>(input, output);
    case DType::Int32: return convert_all<Target, std::int32_t>(input, output);
    case DType::Int16: return convert_all<Target, std::int16_t>(input, output);
    case DType::Int8: return convert_all<Target, std::int8_t>(input, output);
    case DType::UInt8: return convert_all<Target, std::uint8_t>(input, output);
    default:
      throw Error("node '" + context.node.name + "' (Cast): cannot cast from " +
                  std::string(dtype_name(input.dtype())));
  }
}

void run_cast(const KernelContext& context) {
  switch (cast_target(context.node)) {
    case DType::Float32: return convert_to<float>(context);
    case DType::Float64: return convert_to<double>(context);
    case DType::Int64: return convert_to<std::int64_t>(context);
    case DType::Int32: return convert_to<std::int32_t>(context);
    case DType::Int16: return convert_to<std::int16_t>(context);
    case DType::Int8: return convert_to<std::int8_t>(context);
    case DType::UInt8: return convert_to<std::uint8_t>(context);
    default:
      throw Error("node '" + context.node.name + "' (Cast): unsupported target dtype");
  }
}

const KernelRegistration registration(op::Cast, run_cast);

}  // namespace
}  // namespace edgeport
