#pragma once

#include <cstdint>

namespace edgeport {

// One spatial axis of a sliding window (convolution or pooling). Every format
// spells padding its own way; all of them reduce to these rules.
struct AxisPadding {
  std::int64_t begin = 0;
  std::int64_t end = 0;
};

// Where SAME puts the odd unit of padding: after (ONNX SAME_UPPER, TFLite
// SAME) or before (ONNX SAME_LOWER).
enum class OddPadding { After, Before };

// The extent of the kernel's footprint: dilation * (kernel - 1) + 1.
std::int64_t window_span(std::int64_t kernel, std::int64_t dilation);

// SAME padding: the output has ceil(input / stride) entries.
AxisPadding same_padding(std::int64_t input, std::int64_t kernel, std::int64_t stride, std::int64_t dilation,
                         OddPadding odd);

// Output extent for explicit padding, rounding down, or up with ceil_mode (a
// last window that starts inside the padded input counts, as in PyTorch and
// ONNX). Zero when the window does not fit the padded input; callers that
// must refuse that name the node.
std::int64_t window_output_extent(std::int64_t input, std::int64_t kernel, std::int64_t stride,
                                  std::int64_t dilation, AxisPadding padding, bool ceil_mode = false);

}  // namespace edgeport
