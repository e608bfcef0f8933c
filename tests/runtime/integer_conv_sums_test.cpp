// integer_conv_sums against accumulate_plane, the plane-by-plane loop the
// integer kernels used before: integer sums must agree bit for bit on every
// geometry, whatever the order the fast routine adds them in.
#include "runtime/integer_conv_sums.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace edgeport {
namespace {

struct Case {
  std::string name;
  std::int64_t in_channels, out_channels, group, size, kernel, stride, pad, dilation;
};

ConvGeometry geometry_of(const Case& c) {
  ConvGeometry g;
  g.batch = 1;
  g.in_channels = c.in_channels;
  g.out_channels = c.out_channels;
  g.group = c.group;
  g.in_h = c.size;
  g.in_w = c.size + 3;
  g.kernel_h = c.kernel;
  g.kernel_w = c.kernel;
  g.stride_h = g.stride_w = c.stride;
  g.pad_top = g.pad_left = c.pad;
  g.pad_bottom = c.pad;
  g.pad_right = c.pad + 1;
  g.dilation_h = g.dilation_w = c.dilation;
  const std::int64_t span = (c.kernel - 1) * c.dilation + 1;
  g.out_h = (g.in_h + g.pad_top + g.pad_bottom - span) / c.stride + 1;
  g.out_w = (g.in_w + g.pad_left + g.pad_right - span) / c.stride + 1;
  return g;
}

std::vector<std::int32_t> plane_by_plane(const ConvGeometry& g, const std::vector<std::int16_t>& centred,
                                         const std::vector<std::int8_t>& weight) {
  const std::int64_t plane = g.out_h * g.out_w;
  std::vector<std::int32_t> sums(static_cast<std::size_t>(g.out_channels * plane), 0);
  for (std::int64_t o = 0; o < g.out_channels; ++o) {
    const std::int64_t first_input = o / g.out_channels_per_group() * g.in_channels_per_group();
    for (std::int64_t c = 0; c < g.in_channels_per_group(); ++c) {
      accumulate_plane(g, centred.data() + (first_input + c) * g.in_h * g.in_w,
                       weight.data() + (o * g.in_channels_per_group() + c) * g.kernel_h * g.kernel_w,
                       sums.data() + o * plane);
    }
  }
  return sums;
}

class IntegerConvSums : public testing::TestWithParam<Case> {};

TEST_P(IntegerConvSums, EqualThePlaneByPlaneSums) {
  const ConvGeometry g = geometry_of(GetParam());
  std::mt19937 generator(7);
  // The extremes of both ranges, where a 16-bit pair sum would first overflow.
  std::uniform_int_distribution<int> centred_codes(-255, 255);
  std::uniform_int_distribution<int> weight_codes(-128, 127);
  std::vector<std::int16_t> centred(static_cast<std::size_t>(g.in_channels * g.in_h * g.in_w));
  for (std::int16_t& code : centred) code = static_cast<std::int16_t>(centred_codes(generator));
  centred[0] = -255;
  std::vector<std::int8_t> weight(static_cast<std::size_t>(g.out_channels * g.kernel_size()));
  for (std::int8_t& code : weight) code = static_cast<std::int8_t>(weight_codes(generator));
  weight[0] = -128;

  const std::vector<std::int32_t> expected = plane_by_plane(g, centred, weight);
  for (int threads : {1, 2}) {
    std::vector<std::int32_t> sums(expected.size(), 0x7EADBEEF);
    integer_conv_sums(g, centred.data(), weight.data(), sums.data(), threads);
    EXPECT_EQ(sums, expected) << threads << " threads";
  }
}

INSTANTIATE_TEST_SUITE_P(Geometries, IntegerConvSums,
                         // Gathered windows (16 or more outputs per group) and plane by plane.
                         testing::Values(Case{"pointwise", 19, 17, 1, 9, 1, 1, 0, 1},
                                         Case{"padded_3x3", 8, 19, 1, 11, 3, 1, 1, 1},
                                         Case{"strided_7x7", 3, 16, 1, 17, 7, 2, 3, 1},
                                         Case{"dilated", 5, 18, 1, 12, 3, 1, 2, 2},
                                         Case{"grouped", 12, 48, 3, 10, 3, 2, 1, 1},
                                         Case{"long_window", 70, 21, 1, 6, 3, 1, 1, 1},
                                         Case{"few_channels", 3, 8, 1, 13, 3, 1, 1, 1},
                                         Case{"depthwise", 16, 16, 16, 14, 5, 1, 2, 1}),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

}  // namespace
}  // namespace edgeport
