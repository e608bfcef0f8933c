#include <gtest/gtest.h>

#include "core/error.h"
#include "run_op.h"

namespace edgeport {
namespace {

using testing::attributes;
using testing::floats;
using testing::Ints;
using testing::run_op;
using testing::values_of;

// 1..16 in a 4x4 plane.
Tensor plane4() {
  Tensor x(DType::Float32, {1, 1, 4, 4});
  for (int i = 0; i < 16; ++i) x.data<float>()[i] = static_cast<float>(i + 1);
  return x;
}

TEST(MaxPoolKernel, PaddingNeverWins) {
  const Tensor x = floats({1, 1, 2, 2}, {-5, -6, -7, -8});
  const Attributes attrs = attributes({{"kernel", Ints{2, 2}}, {"strides", Ints{1, 1}}, {"pads", Ints{1, 1, 1, 1}}});
  EXPECT_EQ(values_of(run_op("MaxPool", x, {}, attrs)), (std::vector<float>{-5, -5, -6, -5, -5, -6, -7, -7, -8}));
}

TEST(MaxPoolKernel, StrideDefaultsToKernelAndCeilModeKeepsThePartialWindow) {
  EXPECT_EQ(values_of(run_op("MaxPool", plane4(), {}, attributes({{"kernel", Ints{2, 2}}}))),
            (std::vector<float>{6, 8, 14, 16}));
  const Attributes ceil = attributes({{"kernel", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"ceil_mode", std::int64_t{1}}});
  EXPECT_EQ(values_of(run_op("MaxPool", plane4(), {}, ceil)), (std::vector<float>{11, 12, 15, 16}));
}

TEST(MaxPoolKernel, Dilation) {
  const Attributes attrs = attributes({{"kernel", Ints{2, 2}}, {"dilations", Ints{2, 2}}, {"strides", Ints{1, 1}}});
  // Window (y, x) reads (y, x), (y, x+2), (y+2, x), (y+2, x+2): the max is (y+2, x+2).
  EXPECT_EQ(values_of(run_op("MaxPool", plane4(), {}, attrs)), (std::vector<float>{11, 12, 15, 16}));
}

TEST(AvgPoolKernel, CountIncludePadDividesByTheWholeWindow) {
  const Attributes attrs = attributes({{"kernel", Ints{2, 2}}, {"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}});
  // Windows: {1}, {2,3}, {4}, {5,9}, {6,7,10,11}, {8,12}, {13}, {14,15}, {16}, all divided by 4.
  EXPECT_EQ(values_of(run_op("AvgPool", plane4(), {}, attrs)),
            (std::vector<float>{0.25f, 1.25f, 1, 3.5f, 8.5f, 5, 3.25f, 7.25f, 4}));
  Attributes exclude = attrs;
  exclude.set("count_include_pad", std::int64_t{0});
  EXPECT_EQ(values_of(run_op("AvgPool", plane4(), {}, exclude)),
            (std::vector<float>{1, 2.5f, 4, 7, 8.5f, 10, 13, 14.5f, 16}));
}

TEST(AvgPoolKernel, CeilModeWindowsPastThePaddedEdgeAreClipped) {
  // 4x4, kernel 3, stride 2, ceil_mode, no padding: the last window starts at 2 and
  // would end at 5; PyTorch clips it to the input, so it holds 2x2 (or 2x3) elements
  // and divides by that many even with count_include_pad=1.
  const Attributes attrs =
      attributes({{"kernel", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"ceil_mode", std::int64_t{1}}});
  const Tensor y = run_op("AvgPool", plane4(), {}, attrs);
  ASSERT_EQ(y.shape(), (Shape{1, 1, 2, 2}));
  EXPECT_EQ(values_of(y), (std::vector<float>{6, 7.5f, 12, 13.5f}));
}

TEST(AvgPoolKernel, RejectsDilation) {
  const Attributes attrs = attributes({{"kernel", Ints{2, 2}}, {"dilations", Ints{2, 2}}});
  EXPECT_THROW(run_op("AvgPool", plane4(), {}, attrs), Error);
}

TEST(GlobalAveragePoolKernel, AveragesEachPlane) {
  const Tensor x = floats({1, 2, 2, 2}, {1, 2, 3, 4, -1, -1, -1, 7});
  EXPECT_EQ(values_of(run_op("GlobalAveragePool", x)), (std::vector<float>{2.5f, 1}));
}

TEST(MeanKernel, ReducesListedAxes) {
  const Tensor x = floats({2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor rows = run_op("Mean", x, {}, attributes({{"axes", Ints{1}}, {"keepdims", std::int64_t{0}}}));
  EXPECT_EQ(rows.shape(), (Shape{2}));
  EXPECT_EQ(values_of(rows), (std::vector<float>{2, 5}));
  const Tensor columns = run_op("Mean", x, {}, attributes({{"axes", Ints{-2}}}));
  EXPECT_EQ(columns.shape(), (Shape{1, 3}));
  EXPECT_EQ(values_of(columns), (std::vector<float>{2.5f, 3.5f, 4.5f}));
  EXPECT_EQ(values_of(run_op("Mean", x, {}, attributes({{"axes", Ints{0, 1}}}))), (std::vector<float>{3.5f}));
}

TEST(MeanKernel, SpatialMeanOfNchw) {
  const Tensor x = floats({1, 2, 2, 2}, {1, 2, 3, 4, -1, -1, -1, 7});
  EXPECT_EQ(values_of(run_op("Mean", x, {}, attributes({{"axes", Ints{2, 3}}}))), (std::vector<float>{2.5f, 1}));
}

}  // namespace
}  // namespace edgeport
