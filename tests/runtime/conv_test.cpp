#include <gtest/gtest.h>

#include <random>

#include "core/error.h"
#include "run_op.h"

namespace edgeport {
namespace {

using testing::attributes;
using testing::counting;
using testing::floats;
using testing::Ints;
using testing::random_uniform;
using testing::run_op;
using testing::values_of;

TEST(ConvKernel, SumsWindowsAndAddsBias) {
  const Tensor x = counting({1, 1, 3, 3}, 1.0f);
  const Tensor w = floats({1, 1, 2, 2}, {1, 1, 1, 1});
  EXPECT_EQ(values_of(run_op("Conv", x, {w})), (std::vector<float>{12, 16, 24, 28}));
  EXPECT_EQ(values_of(run_op("Conv", x, {w, floats({1}, {1})})), (std::vector<float>{13, 17, 25, 29}));
}

TEST(ConvKernel, AsymmetricPadsAndStride) {
  // pads [top=1, left=0, bottom=0, right=1]: windows read a zero row above and a zero column to the right.
  const Tensor x = counting({1, 1, 3, 3}, 1.0f);
  const Tensor w = floats({1, 1, 2, 2}, {1, 1, 1, 1});
  const Attributes attrs = attributes({{"pads", Ints{1, 0, 0, 1}}, {"strides", Ints{2, 2}}});
  EXPECT_EQ(values_of(run_op("Conv", x, {w}, attrs)), (std::vector<float>{3, 3, 24, 15}));
}

TEST(ConvKernel, Dilation) {
  // in(y, x) = 5y + x; with weights 1,2,3,4 at dilation 2: out = 10 * in(y, x) + 2*2 + 3*10 + 4*12.
  Tensor x(DType::Float32, {1, 1, 5, 5});
  for (std::int64_t i = 0; i < 25; ++i) x.data<float>()[i] = static_cast<float>(i);
  const Tensor w = floats({1, 1, 2, 2}, {1, 2, 3, 4});
  const Tensor y = run_op("Conv", x, {w}, attributes({{"dilations", Ints{2, 2}}}));
  ASSERT_EQ(y.shape(), (Shape{1, 1, 3, 3}));
  for (std::int64_t oy = 0; oy < 3; ++oy) {
    for (std::int64_t ox = 0; ox < 3; ++ox) {
      EXPECT_EQ(y.data<float>()[oy * 3 + ox], static_cast<float>(50 * oy + 10 * ox + 82)) << oy << "," << ox;
    }
  }
}

TEST(ConvKernel, GroupsReadOnlyTheirOwnChannels) {
  const Tensor x = floats({1, 4, 1, 1}, {1, 2, 3, 4});
  const Tensor w = floats({2, 2, 1, 1}, {1, 10, 100, 1000});
  EXPECT_EQ(values_of(run_op("Conv", x, {w}, attributes({{"group", std::int64_t{2}}}))),
            (std::vector<float>{21, 4300}));
}

TEST(ConvKernel, DepthwiseWithBias) {
  const Tensor x = floats({1, 2, 1, 2}, {1, 2, 3, 4});
  const Tensor w = floats({2, 1, 1, 1}, {2, -1});
  const Tensor b = floats({2}, {0.5f, 0});
  EXPECT_EQ(values_of(run_op("Conv", x, {w, b}, attributes({{"group", std::int64_t{2}}}))),
            (std::vector<float>{2.5f, 4.5f, -3, -4}));
}

TEST(ConvKernel, FusedActivations) {
  const Tensor x = floats({1, 1, 1, 3}, {-2, 3, 10});
  const Tensor w = floats({1, 1, 1, 1}, {1});
  EXPECT_EQ(values_of(run_op("Conv", x, {w}, attributes({{"activation", std::string("relu")}}))),
            (std::vector<float>{0, 3, 10}));
  EXPECT_EQ(values_of(run_op("Conv", x, {w}, attributes({{"activation", std::string("relu6")}}))),
            (std::vector<float>{0, 3, 6}));
  EXPECT_THROW(run_op("Conv", x, {w}, attributes({{"activation", std::string("gelu")}})), Error);
}

TEST(ConvKernel, Int8WeightIsDequantizedWhenNotHybrid) {
  const Tensor x = floats({1, 1, 1, 2}, {1, 2});
  Tensor codes = Tensor::from_vector<std::int8_t>({2, 1, 1, 1}, {3, -4});
  codes.quant = QuantParams{{0.5f, 0.25f}, {0, 0}, 0};
  EXPECT_EQ(values_of(run_op("Conv", x, {codes})), (std::vector<float>{1.5f, 3, -1, -2}));
  // hybrid=1 but the run asks for float arithmetic: same dequantized result.
  RunOptions float_only;
  float_only.hybrid = false;
  EXPECT_EQ(values_of(run_op("Conv", x, {codes}, attributes({{"hybrid", std::int64_t{1}}}), float_only)),
            (std::vector<float>{1.5f, 3, -1, -2}));
}

TEST(ConvKernel, Int8WeightWithoutParametersIsAnErrorNamingTheNode) {
  const Tensor x = floats({1, 1, 1, 2}, {1, 2});
  const Tensor codes = Tensor::from_vector<std::int8_t>({1, 1, 1, 1}, {3});
  try {
    run_op("Conv", x, {codes});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("node 'node'"), std::string::npos) << error.what();
  }
}

// Direct definition of a grouped, strided, dilated, padded convolution, one
// output element at a time, to check the kernel's loop order on random data.
std::vector<float> direct_conv(const Tensor& x, const Tensor& w, const Tensor& b, const Ints& strides,
                               const Ints& pads, const Ints& dilations, std::int64_t group, const Shape& out) {
  const Shape& xs = x.shape();
  const Shape& ws = w.shape();
  std::vector<float> result;
  for (std::int64_t n = 0; n < out[0]; ++n) {
    for (std::int64_t o = 0; o < out[1]; ++o) {
      const std::int64_t g = o / (ws[0] / group);
      for (std::int64_t oy = 0; oy < out[2]; ++oy) {
        for (std::int64_t ox = 0; ox < out[3]; ++ox) {
          double sum = b.data<float>()[o];
          for (std::int64_t c = 0; c < ws[1]; ++c) {
            for (std::int64_t ky = 0; ky < ws[2]; ++ky) {
              for (std::int64_t kx = 0; kx < ws[3]; ++kx) {
                const std::int64_t iy = oy * strides[0] - pads[0] + ky * dilations[0];
                const std::int64_t ix = ox * strides[1] - pads[1] + kx * dilations[1];
                if (iy < 0 || iy >= xs[2] || ix < 0 || ix >= xs[3]) continue;
                const std::int64_t channel = g * ws[1] + c;
                sum += static_cast<double>(x.data<float>()[((n * xs[1] + channel) * xs[2] + iy) * xs[3] + ix]) *
                       w.data<float>()[((o * ws[1] + c) * ws[2] + ky) * ws[3] + kx];
              }
            }
          }
          result.push_back(static_cast<float>(sum));
        }
      }
    }
  }
  return result;
}

TEST(ConvKernel, MatchesDirectDefinitionOnRandomConfigurations) {
  struct Case {
    Shape input;
    std::int64_t out_channels, group, kernel;
    Ints strides, pads, dilations;
  };
  const std::vector<Case> cases = {
      {{2, 3, 9, 7}, 4, 1, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}},
      {{1, 4, 10, 11}, 4, 4, 3, {2, 2}, {1, 0, 2, 1}, {1, 1}},
      {{1, 6, 12, 12}, 9, 3, 3, {2, 1}, {2, 2, 2, 2}, {2, 2}},
      {{1, 2, 8, 8}, 8, 2, 5, {3, 3}, {0, 2, 1, 0}, {1, 2}},
      {{1, 5, 6, 6}, 3, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}},
  };
  std::mt19937 generator(7);
  for (const Case& c : cases) {
    const Tensor x = random_uniform(c.input, generator);
    const Tensor w = random_uniform({c.out_channels, c.input[1] / c.group, c.kernel, c.kernel}, generator);
    const Tensor b = random_uniform({c.out_channels}, generator);
    const Attributes attrs =
        attributes({{"strides", c.strides}, {"pads", c.pads}, {"dilations", c.dilations}, {"group", c.group}});
    const Tensor y = run_op("Conv", x, {w, b}, attrs);
    const std::vector<float> expected = direct_conv(x, w, b, c.strides, c.pads, c.dilations, c.group, y.shape());
    ASSERT_EQ(static_cast<std::size_t>(y.numel()), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      ASSERT_NEAR(y.data<float>()[i], expected[i], 1e-5f) << shape_to_string(c.input) << " element " << i;
    }
  }
}

TEST(ConvKernel, ThreadsGiveIdenticalResults) {
  std::mt19937 generator(11);
  const Tensor x = random_uniform({2, 8, 9, 9}, generator);
  const Tensor w = random_uniform({6, 8, 3, 3}, generator);
  const Attributes attrs = attributes({{"pads", Ints{1, 1, 1, 1}}});
  RunOptions threaded;
  threaded.threads = 3;
  EXPECT_EQ(values_of(run_op("Conv", x, {w}, attrs)), values_of(run_op("Conv", x, {w}, attrs, threaded)));
}

}  // namespace
}  // namespace edgeport
