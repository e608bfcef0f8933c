#include "core/window.h"

#include <algorithm>

namespace edgeport {

std::int64_t window_span(std::int64_t kernel, std::int64_t dilation) { return dilation * (kernel - 1) + 1; }

AxisPadding same_padding(std::int64_t input, std::int64_t kernel, std::int64_t stride, std::int64_t dilation,
                         OddPadding odd) {
  const std::int64_t output = (input + stride - 1) / stride;
  const std::int64_t total =
      std::max<std::int64_t>(0, (output - 1) * stride + window_span(kernel, dilation) - input);
  const std::int64_t smaller = total / 2;
  return odd == OddPadding::After ? AxisPadding{smaller, total - smaller} : AxisPadding{total - smaller, smaller};
}

std::int64_t window_output_extent(std::int64_t input, std::int64_t kernel, std::int64_t stride,
                                  std::int64_t dilation, AxisPadding padding, bool ceil_mode) {
  const std::int64_t span = window_span(kernel, dilation);
  const std::int64_t padded = input + padding.begin + padding.end;
  if (padded < span) return 0;
  std::int64_t steps = (padded - span) / stride;
  // A last window that would start entirely in the end padding is dropped (PyTorch and ONNX agree).
  if (ceil_mode && (padded - span) % stride != 0 && steps * stride + stride < input + padding.begin) ++steps;
  return steps + 1;
}

}  // namespace edgeport
