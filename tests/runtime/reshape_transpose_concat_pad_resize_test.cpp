#include <gtest/gtest.h>

#include "core/error.h"
#include "run_op.h"

namespace edgeport {
namespace {

using testing::attributes;
using testing::counting;
using testing::floats;
using testing::Ints;
using testing::run_op;
using testing::values_of;

TEST(ReshapeKernels, KeepRowMajorOrder) {
  const Tensor x = counting({1, 2, 3});
  const Tensor flat = run_op("Flatten", x);
  EXPECT_EQ(flat.shape(), (Shape{1, 6}));
  EXPECT_EQ(values_of(flat), values_of(x));
  const Tensor reshaped = run_op("Reshape", x, {}, attributes({{"shape", Ints{3, -1}}}));
  EXPECT_EQ(reshaped.shape(), (Shape{3, 2}));
  EXPECT_EQ(values_of(reshaped), values_of(x));
}

TEST(TransposeKernel, MovesAxes) {
  const Tensor x = counting({2, 3});
  EXPECT_EQ(values_of(run_op("Transpose", x, {}, attributes({{"perm", Ints{1, 0}}}))),
            (std::vector<float>{0, 3, 1, 4, 2, 5}));
  // NCHW -> NHWC of [1,2,2,2]: out[h][w][c] = in[c][h][w].
  EXPECT_EQ(values_of(run_op("Transpose", counting({1, 2, 2, 2}), {}, attributes({{"perm", Ints{0, 2, 3, 1}}}))),
            (std::vector<float>{0, 4, 1, 5, 2, 6, 3, 7}));
}

TEST(TransposeKernel, LayoutChangesAcrossTileEdgesEqualTheReference) {
  // The prepared layout changes work in 32 x 32 tiles: extents off the tile
  // grid, two images, both directions.
  const RunOptions reference{.reference = true};
  for (const Ints& perm : {Ints{0, 2, 3, 1}, Ints{0, 3, 1, 2}}) {
    const Tensor x = counting({2, 37, 5, 13});
    const Attributes attrs = attributes({{"perm", perm}});
    EXPECT_EQ(values_of(run_op("Transpose", x, {}, attrs)), values_of(run_op("Transpose", x, {}, attrs, reference)))
        << perm[1];
  }
}

TEST(TransposeKernel, WorksOnInt8) {
  const Tensor x = Tensor::from_vector<std::int8_t>({2, 2}, {1, -2, 3, -4});
  const Tensor y = run_op("Transpose", x, {}, attributes({{"perm", Ints{1, 0}}}));
  EXPECT_EQ(std::vector<std::int8_t>(y.values<std::int8_t>().begin(), y.values<std::int8_t>().end()),
            (std::vector<std::int8_t>{1, 3, -2, -4}));
}

TEST(ConcatKernel, JoinsAlongTheAxis) {
  const Tensor a = counting({1, 2, 2});
  const Tensor b = floats({1, 1, 2}, {10, 11});
  EXPECT_EQ(values_of(run_op("Concat", a, {b}, attributes({{"axis", std::int64_t{1}}}))),
            (std::vector<float>{0, 1, 2, 3, 10, 11}));
  const Tensor c = floats({1, 2, 1}, {20, 21});
  EXPECT_EQ(values_of(run_op("Concat", a, {c}, attributes({{"axis", std::int64_t{-1}}}))),
            (std::vector<float>{0, 1, 20, 2, 3, 21}));
}

TEST(PadKernel, PadsEachSideWithTheValue) {
  const Tensor x = floats({1, 2}, {1, 2});
  // begins [0, 1], ends [1, 2]: one column before, two after, one row below.
  const Tensor y = run_op("Pad", x, {}, attributes({{"pads", Ints{0, 1, 1, 2}}, {"value", -1.0}}));
  ASSERT_EQ(y.shape(), (Shape{2, 5}));
  EXPECT_EQ(values_of(y), (std::vector<float>{-1, 1, 2, -1, -1, -1, -1, -1, -1, -1}));
}

TEST(PadKernel, IntegerValueMustFit) {
  const Tensor x = Tensor::from_vector<std::int8_t>({2}, {5, 6});
  const Tensor y = run_op("Pad", x, {}, attributes({{"pads", Ints{1, 0}}, {"value", -3.0}}));
  EXPECT_EQ(std::vector<std::int8_t>(y.values<std::int8_t>().begin(), y.values<std::int8_t>().end()),
            (std::vector<std::int8_t>{-3, 5, 6}));
  EXPECT_THROW(run_op("Pad", x, {}, attributes({{"pads", Ints{1, 0}}, {"value", 300.0}})), Error);
}

TEST(ResizeKernel, SizesUseFloorOfDstTimesInOverOut) {
  const Tensor x = floats({1, 1, 1, 3}, {10, 20, 30});
  // out 5: step 0.6 -> sources 0, 0, 1, 1, 2.
  EXPECT_EQ(values_of(run_op("Resize", x, {}, attributes({{"sizes", Ints{1, 5}}}))),
            (std::vector<float>{10, 10, 20, 20, 30}));
  // out 2: step 1.5 -> sources 0, 1.
  EXPECT_EQ(values_of(run_op("Resize", x, {}, attributes({{"sizes", Ints{1, 2}}}))), (std::vector<float>{10, 20}));
  // Doubling repeats each element.
  EXPECT_EQ(values_of(run_op("Resize", x, {}, attributes({{"sizes", Ints{2, 6}}}))),
            (std::vector<float>{10, 10, 20, 20, 30, 30, 10, 10, 20, 20, 30, 30}));
}

TEST(ResizeKernel, ScalesStepByTheInverseScale) {
  const Tensor x = floats({1, 1, 1, 4}, {1, 2, 3, 4});
  // scale 1.5: out floor(6) = 6, sources floor(d / 1.5) = 0, 0, 1, 2, 2, 3.
  EXPECT_EQ(values_of(run_op("Resize", x, {}, attributes({{"scales", std::vector<double>{1.0, 1.5}}}))),
            (std::vector<float>{1, 1, 2, 3, 3, 4}));
  // scale 1.3 on 3 elements keeps 3: PyTorch copies instead of stepping by 1/1.3.
  const Tensor three = floats({1, 1, 1, 3}, {1, 2, 3});
  EXPECT_EQ(values_of(run_op("Resize", three, {}, attributes({{"scales", std::vector<double>{1.0, 1.3}}}))),
            (std::vector<float>{1, 2, 3}));
}

}  // namespace
}  // namespace edgeport
