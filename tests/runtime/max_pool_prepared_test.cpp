#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "run_op.h"

namespace edgeport {
namespace {

using testing::attributes;
using testing::Ints;
using testing::random_uniform;

// Expects `actual` to hold `expected`'s values, NaN where it has NaN; returns
// how many NaNs there were, so a case can insist that NaN was tried.
int expect_same_values(const Tensor& expected, const Tensor& actual, const std::string& label) {
  EXPECT_EQ(actual.shape(), expected.shape()) << label;
  if (actual.shape() != expected.shape()) return 0;
  const auto want = expected.values<float>();
  const auto got = actual.values<float>();
  int nans = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i])) {
      ++nans;
      EXPECT_TRUE(std::isnan(got[i])) << label << " element " << i;
    } else {
      EXPECT_EQ(got[i], want[i]) << label << " element " << i;
    }
  }
  return nans;
}

// The prepared MaxPool gives the reference kernel's very values: padding,
// strides, dilation, windows reaching past the input, and NaN winning.
TEST(MaxPoolPrepared, SameValuesAsTheReferenceKernel) {
  struct Case {
    Shape input;
    Ints kernel, strides, pads, dilations;
  };
  const std::vector<Case> cases = {
      {{1, 64, 112, 112}, {3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 1}},
      {{2, 3, 17, 20}, {2, 3}, {1, 2}, {0, 1, 1, 0}, {1, 1}},
      {{1, 5, 9, 11}, {3, 3}, {3, 2}, {1, 0, 1, 1}, {2, 1}},
      {{1, 2, 5, 4}, {4, 4}, {4, 3}, {2, 2, 2, 1}, {1, 1}},
  };
  std::mt19937 generator(5);
  for (const Case& c : cases) {
    Tensor input = random_uniform(c.input, generator);
    input.data<float>()[12] = std::numeric_limits<float>::quiet_NaN();
    const Attributes attrs =
        attributes({{"kernel", c.kernel}, {"strides", c.strides}, {"pads", c.pads}, {"dilations", c.dilations}});
    const Tensor reference = testing::run_op("MaxPool", input, {}, attrs, RunOptions{.reference = true});
    for (int threads : {1, 2}) {
      const Tensor prepared = testing::run_op("MaxPool", input, {}, attrs, RunOptions{.threads = threads});
      const int nans = expect_same_values(reference, prepared, shape_to_string(c.input));
      EXPECT_GT(nans, 0) << shape_to_string(c.input);
    }
  }
}

// Channels-last (as the layout pass leaves MaxPool between library
// convolutions): the prepared kernel against the reference, which pools the
// NCHW copy. 64 and 20 channels take the vector steps and a remainder.
TEST(MaxPoolPrepared, ChannelsLastSameValuesAsTheReferenceKernel) {
  const std::vector<Shape> inputs = {{1, 56, 56, 64}, {2, 9, 11, 20}, {1, 7, 5, 3}};
  std::mt19937 generator(9);
  for (const Shape& shape : inputs) {
    Tensor input = random_uniform(shape, generator);
    input.data<float>()[5] = std::numeric_limits<float>::quiet_NaN();
    input.data<float>()[shape[3] * 3 + 1] = std::numeric_limits<float>::quiet_NaN();
    const Attributes attrs = attributes({{"kernel", Ints{3, 3}},
                                         {"strides", Ints{2, 2}},
                                         {"pads", Ints{1, 1, 1, 1}},
                                         {"layout", std::string("NHWC")}});
    const Tensor reference = testing::run_op("MaxPool", input, {}, attrs, RunOptions{.reference = true});
    const Tensor prepared = testing::run_op("MaxPool", input, {}, attrs, RunOptions{});
    const int nans = expect_same_values(reference, prepared, shape_to_string(shape));
    EXPECT_GT(nans, 0) << shape_to_string(shape);
  }
}

}  // namespace
}  // namespace edgeport
