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
      ASSERT_EQ(prepared.shape(), reference.shape());
      const auto expected = reference.values<float>();
      const auto actual = prepared.values<float>();
      int nans = 0;
      for (std::size_t i = 0; i < expected.size(); ++i) {
        if (std::isnan(expected[i])) {
          ++nans;
          EXPECT_TRUE(std::isnan(actual[i])) << "element " << i;
        } else {
          EXPECT_EQ(actual[i], expected[i]) << "element " << i;
        }
      }
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
    ASSERT_EQ(prepared.shape(), reference.shape());
    const auto expected = reference.values<float>();
    const auto actual = prepared.values<float>();
    int nans = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (std::isnan(expected[i])) {
        ++nans;
        EXPECT_TRUE(std::isnan(actual[i])) << shape_to_string(shape) << " element " << i;
      } else {
        EXPECT_EQ(actual[i], expected[i]) << shape_to_string(shape) << " element " << i;
      }
    }
    EXPECT_GT(nans, 0) << shape_to_string(shape);
  }
}

}  // namespace
}  // namespace edgeport
