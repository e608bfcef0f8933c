// Float depthwise convolution in each runtime's order of roundings
// (DepthwiseArithmetic). Tiny-LaDeDa's gradient filter is such a convolution,
// and its result is quantized at run time: a one-ulp difference from LiteRT or
// ONNX Runtime moved activation codes and put our emulation 0.002 (LiteRT)
// and 0.0006 (ONNX Runtime) away from their outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "run_op.h"

namespace edgeport {
namespace {

using testing::attributes;
using testing::floats;
using testing::Ints;
using testing::random_uniform;
using testing::run_op;
using testing::values_of;

// The summing orders are the reference kernels' emulation of each runtime.
RunOptions summing(DepthwiseArithmetic arithmetic) {
  RunOptions options{.reference = true};
  options.depthwise_arithmetic = arithmetic;
  return options;
}

Tensor depthwise(const Tensor& x, const Tensor& w, const std::optional<Tensor>& bias, DepthwiseArithmetic arithmetic,
                 const Ints& pads = {0, 0, 0, 0}) {
  const Attributes attrs = attributes({{"group", x.dim(1)}, {"pads", pads}});
  return run_op("Conv", x, {w, bias}, attrs, summing(arithmetic));
}

TEST(DepthwiseArithmetic, EachRuntimeAddsTheTapsInItsOwnOrder) {
  // One 3x3 window, all weights 1: the exact sum is 7, but 2^24 + 1 rounds
  // back to 2^24, so each order loses a different number of ones.
  constexpr float kBig = 16777216.0f;
  const Tensor x = floats({1, 1, 3, 3}, {kBig, 1, 1, 1, 1, 1, 1, -kBig, 1});
  const Tensor w = floats({1, 1, 3, 3}, {1, 1, 1, 1, 1, 1, 1, 1, 1});
  // Row by row: the six ones before -2^24 are lost.
  EXPECT_EQ(values_of(depthwise(x, w, std::nullopt, DepthwiseArithmetic::Sequential)), std::vector<float>{1});
  // Column by column (taps 0 3 6 1 4 7 2 5 8): four ones are lost before -2^24.
  EXPECT_EQ(values_of(depthwise(x, w, std::nullopt, DepthwiseArithmetic::LiteRt)), std::vector<float>{3});
  // Blocks {0..3} = 2^24, {4..7} = 3 - 2^24, {8} = 1: 2^24 + (3 - 2^24) + 1.
  EXPECT_EQ(values_of(depthwise(x, w, std::nullopt, DepthwiseArithmetic::OnnxRuntime)), std::vector<float>{4});
}

TEST(DepthwiseArithmetic, LiteRtFusesTheMultiplyAddAndStartsFromTheBias) {
  // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 rounds to 1 + 2^-11 as a float product;
  // a fused multiply-add onto the bias -1 keeps the 2^-24.
  const float w = 1.0f + std::ldexp(1.0f, -12);
  const Tensor x = floats({1, 1, 1, 1}, {w});
  const Tensor weight = floats({1, 1, 1, 1}, {w});
  const Tensor bias = floats({1}, {-1.0f});
  const float fused = std::ldexp(1.0f, -11) + std::ldexp(1.0f, -24);
  const float rounded = std::ldexp(1.0f, -11);
  EXPECT_EQ(values_of(depthwise(x, weight, bias, DepthwiseArithmetic::LiteRt)), std::vector<float>{fused});
  EXPECT_EQ(values_of(depthwise(x, weight, bias, DepthwiseArithmetic::OnnxRuntime)), std::vector<float>{rounded});
  EXPECT_EQ(values_of(depthwise(x, weight, bias, DepthwiseArithmetic::Sequential)), std::vector<float>{rounded});
}

// The orders written out per output, padding taps skipped.
float litert_output(const float* plane, const float* kernel, float bias, std::int64_t size, std::int64_t k,
                    std::int64_t oy, std::int64_t ox, std::int64_t pad) {
  float sum = bias;
  for (std::int64_t kx = 0; kx < k; ++kx) {
    for (std::int64_t ky = 0; ky < k; ++ky) {
      const std::int64_t y = oy + ky - pad;
      const std::int64_t x = ox + kx - pad;
      if (y >= 0 && y < size && x >= 0 && x < size) sum = std::fma(kernel[ky * k + kx], plane[y * size + x], sum);
    }
  }
  return sum;
}

float onnx_runtime_output(const float* plane, const float* kernel, float bias, std::int64_t size, std::int64_t k,
                          std::int64_t oy, std::int64_t ox, std::int64_t pad) {
  float total = 0.0f;
  for (std::int64_t first = 0; first < k * k; first += 4) {
    float block = 0.0f;
    for (std::int64_t tap = first; tap < std::min(k * k, first + 4); ++tap) {
      const std::int64_t y = oy + tap / k - pad;
      const std::int64_t x = ox + tap % k - pad;
      if (y >= 0 && y < size && x >= 0 && x < size) {
        const float product = kernel[tap] * plane[y * size + x];
        block += product;
      }
    }
    total += block;
  }
  return total + bias;
}

TEST(DepthwiseArithmetic, PaddedKernelsMatchTheWrittenOutOrders) {
  std::mt19937 generator(11);
  constexpr std::int64_t kChannels = 3;
  constexpr std::int64_t kSize = 9;
  for (const std::int64_t k : {3, 5}) {
    const std::int64_t pad = k / 2;
    const Tensor x = random_uniform({2, kChannels, kSize, kSize}, generator, -8.0f, 8.0f);
    const Tensor w = random_uniform({kChannels, 1, k, k}, generator);
    const Tensor b = random_uniform({kChannels}, generator);
    const Tensor litert = depthwise(x, w, b, DepthwiseArithmetic::LiteRt, {pad, pad, pad, pad});
    const Tensor onnx_runtime = depthwise(x, w, b, DepthwiseArithmetic::OnnxRuntime, {pad, pad, pad, pad});
    int differing = 0;
    for (std::int64_t n = 0; n < 2; ++n) {
      for (std::int64_t c = 0; c < kChannels; ++c) {
        const float* plane = x.data<float>() + (n * kChannels + c) * kSize * kSize;
        const float* kernel = w.data<float>() + c * k * k;
        const float bias = b.data<float>()[c];
        for (std::int64_t oy = 0; oy < kSize; ++oy) {
          for (std::int64_t ox = 0; ox < kSize; ++ox) {
            const std::int64_t at = ((n * kChannels + c) * kSize + oy) * kSize + ox;
            EXPECT_EQ(litert.data<float>()[at], litert_output(plane, kernel, bias, kSize, k, oy, ox, pad)) << at;
            EXPECT_EQ(onnx_runtime.data<float>()[at], onnx_runtime_output(plane, kernel, bias, kSize, k, oy, ox, pad))
                << at;
            differing += litert.data<float>()[at] != onnx_runtime.data<float>()[at];
          }
        }
      }
    }
    // The two orders do round differently on these inputs, so the checks above tell them apart.
    EXPECT_GT(differing, 0) << k;
  }
}

}  // namespace
}  // namespace edgeport
