#include "runtime/conv_float.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace edgeport {
namespace {

// conv_float must give the very bits of the per-plane loop it replaced
// (bias, then accumulate_plane per input channel, then the activation), on
// rows wide enough for its register blocks and on the edges around them.
std::vector<float> plane_by_plane(const ConvGeometry& g, const std::vector<float>& input,
                                  const std::vector<float>& weight, const float* bias, ActivationRange activation) {
  const std::int64_t out_plane = g.out_h * g.out_w;
  const std::int64_t kernel_plane = g.kernel_h * g.kernel_w;
  std::vector<float> output(static_cast<std::size_t>(g.batch * g.out_channels * out_plane));
  for (std::int64_t item = 0; item < g.batch * g.out_channels; ++item) {
    const std::int64_t n = item / g.out_channels;
    const std::int64_t o = item % g.out_channels;
    const std::int64_t first_input = (o / g.out_channels_per_group()) * g.in_channels_per_group();
    float* out = output.data() + item * out_plane;
    std::fill(out, out + out_plane, bias ? bias[o] : 0.0f);
    for (std::int64_t c = 0; c < g.in_channels_per_group(); ++c) {
      accumulate_plane(g, input.data() + (n * g.in_channels + first_input + c) * g.in_h * g.in_w,
                       weight.data() + (o * g.in_channels_per_group() + c) * kernel_plane, out);
    }
    for (std::int64_t i = 0; i < out_plane; ++i) out[i] = activation.apply(out[i]);
  }
  return output;
}

struct Case {
  std::int64_t batch, in_channels, in_h, in_w, out_channels, group, kernel_h, kernel_w;
  std::int64_t stride_h, stride_w, pad_top, pad_left, pad_bottom, pad_right, dilation_h, dilation_w;
};

ConvGeometry geometry_of(const Case& c) {
  ConvGeometry g;
  g.batch = c.batch;
  g.in_channels = c.in_channels;
  g.in_h = c.in_h;
  g.in_w = c.in_w;
  g.out_channels = c.out_channels;
  g.group = c.group;
  g.kernel_h = c.kernel_h;
  g.kernel_w = c.kernel_w;
  g.stride_h = c.stride_h;
  g.stride_w = c.stride_w;
  g.pad_top = c.pad_top;
  g.pad_left = c.pad_left;
  g.dilation_h = c.dilation_h;
  g.dilation_w = c.dilation_w;
  g.out_h = (c.in_h + c.pad_top + c.pad_bottom - c.dilation_h * (c.kernel_h - 1) - 1) / c.stride_h + 1;
  g.out_w = (c.in_w + c.pad_left + c.pad_right - c.dilation_w * (c.kernel_w - 1) - 1) / c.stride_w + 1;
  return g;
}

std::vector<float> random_floats(std::int64_t count, std::mt19937& generator) {
  std::normal_distribution<float> distribution(0.0f, 1.0f);
  std::vector<float> values(static_cast<std::size_t>(count));
  for (float& value : values) value = distribution(generator);
  return values;
}

TEST(ConvFloat, BitIdenticalToPlaneByPlaneAccumulation) {
  const std::vector<Case> cases = {
      // The sample model's layers: depthwise padded, 1x1, 3x3 valid, 3x3 stride 2.
      {1, 3, 40, 70, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
      {1, 3, 20, 67, 8, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1},
      {2, 8, 12, 66, 8, 1, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1},
      {1, 8, 15, 77, 8, 1, 3, 3, 2, 2, 0, 0, 0, 0, 1, 1},
      // Stride 3, asymmetric and oversized padding, dilation, rectangular kernels, groups.
      {1, 4, 11, 100, 6, 2, 2, 5, 3, 3, 2, 4, 1, 0, 1, 2},
      {1, 6, 9, 90, 9, 3, 3, 3, 1, 2, 2, 2, 2, 5, 2, 3},
      {1, 2, 7, 50, 4, 1, 3, 3, 1, 1, 4, 6, 4, 6, 1, 1},
      // Rows narrower than a block, and an interior exactly one block wide.
      {1, 3, 6, 20, 2, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
      {1, 2, 5, 34, 2, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
  };
  std::mt19937 generator(5);
  for (const Case& c : cases) {
    const ConvGeometry g = geometry_of(c);
    const std::vector<float> input = random_floats(g.batch * g.in_channels * g.in_h * g.in_w, generator);
    const std::vector<float> weight = random_floats(g.out_channels * g.kernel_size(), generator);
    std::vector<float> bias = random_floats(g.out_channels, generator);
    bias[0] = -0.0f;  // a sum starting from -0.0 keeps it only while every product is -0.0
    ActivationRange relu6;
    relu6.low = 0.0f;
    relu6.high = 6.0f;
    for (const float* b : {static_cast<const float*>(nullptr), static_cast<const float*>(bias.data())}) {
      for (const ActivationRange activation : {ActivationRange{}, relu6}) {
        const std::vector<float> expected = plane_by_plane(g, input, weight, b, activation);
        for (const int threads : {1, 3}) {
          std::vector<float> output(expected.size(), std::numeric_limits<float>::quiet_NaN());
          conv_float(g, input.data(), weight.data(), b, activation, output.data(), threads);
          EXPECT_EQ(std::memcmp(output.data(), expected.data(), expected.size() * sizeof(float)), 0)
              << "case " << (&c - cases.data()) << ", out " << g.out_h << "x" << g.out_w << ", bias "
              << (b != nullptr) << ", threads " << threads;
        }
      }
    }
  }
}

}  // namespace
}  // namespace edgeport
