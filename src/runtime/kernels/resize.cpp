// Resize (see src/core/ops/resize.cpp): nearest neighbour exactly as PyTorch's
// F.interpolate(mode="nearest"), including its float32 index arithmetic and
// its shortcuts for an unchanged or doubled extent.
#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "core/ops/resize.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

// `scale` is the user's scale factor when the op was given scales; PyTorch
// then steps by 1/scale instead of in/out.
std::vector<std::int64_t> source_indices(std::int64_t in, std::int64_t out, std::optional<double> scale) {
  std::vector<std::int64_t> sources(static_cast<std::size_t>(out));
  const float step = scale ? static_cast<float>(1.0 / *scale) : static_cast<float>(in) / static_cast<float>(out);
  for (std::int64_t dst = 0; dst < out; ++dst) {
    std::int64_t source;
    if (out == in) {
      source = dst;
    } else if (out == 2 * in) {
      source = dst >> 1;
    } else {
      source = std::min(static_cast<std::int64_t>(std::floor(static_cast<float>(dst) * step)), in - 1);
    }
    sources[static_cast<std::size_t>(dst)] = source;
  }
  return sources;
}

void run_resize(const KernelContext& context) {
  const Tensor& input = context.input(0);
  Tensor& output = context.output();
  std::optional<double> scale_h;
  std::optional<double> scale_w;
  if (!context.node.attrs.has("sizes")) {
    const std::vector<double> scales = context.node.attrs.get_floats("scales");
    scale_h = scales[0];
    scale_w = scales[1];
  }
  const std::int64_t in_h = input.dim(2);
  const std::int64_t in_w = input.dim(3);
  const std::int64_t out_h = output.dim(2);
  const std::int64_t out_w = output.dim(3);
  const std::vector<std::int64_t> rows = source_indices(in_h, out_h, scale_h);
  const std::vector<std::int64_t> columns = source_indices(in_w, out_w, scale_w);
  const std::int64_t planes = input.dim(0) * input.dim(1);
  const float* x = input.data<float>();
  float* y = output.data<float>();
  for (std::int64_t plane = 0; plane < planes; ++plane) {
    const float* in = x + plane * in_h * in_w;
    for (std::int64_t oy = 0; oy < out_h; ++oy) {
      const float* source_row = in + rows[static_cast<std::size_t>(oy)] * in_w;
      for (std::int64_t ox = 0; ox < out_w; ++ox) *y++ = source_row[columns[static_cast<std::size_t>(ox)]];
    }
  }
}

const KernelRegistration registration(op::Resize, run_resize);

}  // namespace
}  // namespace edgeport
