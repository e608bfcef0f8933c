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

}  // namespace
}  // namespace edgeport
