#include <gtest/gtest.h>

#include <cmath>

#include "run_op.h"

namespace edgeport {
namespace {

using testing::attributes;
using testing::floats;
using testing::run_op;
using testing::values_of;

TEST(UnaryKernels, MatchTheirDefinitions) {
  const Tensor x = floats({5}, {-4, -1, 0, 2, 7});
  EXPECT_EQ(values_of(run_op("Relu", x)), (std::vector<float>{0, 0, 0, 2, 7}));
  EXPECT_EQ(values_of(run_op("Relu6", x)), (std::vector<float>{0, 0, 0, 2, 6}));
  // x * relu6(x + 3) / 6: -4 -> 0, -1 -> -1*2/6, 0 -> 0, 2 -> 2*5/6, 7 -> 7.
  const std::vector<float> hard_swish = values_of(run_op("HardSwish", x));
  EXPECT_EQ(hard_swish[0], 0.0f);
  EXPECT_FLOAT_EQ(hard_swish[1], -1.0f / 3.0f);
  EXPECT_EQ(hard_swish[2], 0.0f);
  EXPECT_FLOAT_EQ(hard_swish[3], 10.0f / 6.0f);
  EXPECT_FLOAT_EQ(hard_swish[4], 7.0f);
  const std::vector<float> sigmoid = values_of(run_op("Sigmoid", x));
  EXPECT_FLOAT_EQ(sigmoid[2], 0.5f);
  EXPECT_FLOAT_EQ(sigmoid[3], 1.0f / (1.0f + std::exp(-2.0f)));
  EXPECT_FLOAT_EQ(sigmoid[0], 1.0f / (1.0f + std::exp(4.0f)));
}

TEST(UnaryKernels, LetNanThrough) {
  const Tensor x = floats({1}, {NAN});
  EXPECT_TRUE(std::isnan(run_op("Relu", x).data<float>()[0]));
  EXPECT_TRUE(std::isnan(run_op("Relu6", x).data<float>()[0]));
}

TEST(BinaryKernels, SameShape) {
  const Tensor a = floats({2, 2}, {1, 2, 3, 4});
  const Tensor b = floats({2, 2}, {10, 20, 30, 40});
  EXPECT_EQ(values_of(run_op("Add", a, {b})), (std::vector<float>{11, 22, 33, 44}));
  EXPECT_EQ(values_of(run_op("Sub", a, {b})), (std::vector<float>{-9, -18, -27, -36}));
  EXPECT_EQ(values_of(run_op("Mul", a, {b})), (std::vector<float>{10, 40, 90, 160}));
}

TEST(BinaryKernels, BroadcastPerChannelAndScalar) {
  const Tensor x = floats({1, 2, 1, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(values_of(run_op("Mul", x, {floats({2, 1, 1}, {10, -1})})),
            (std::vector<float>{10, 20, 30, -4, -5, -6}));
  EXPECT_EQ(values_of(run_op("Sub", x, {floats({}, {1})})), (std::vector<float>{0, 1, 2, 3, 4, 5}));
}

TEST(BinaryKernels, BroadcastBothSides) {
  // [3,1] - [1,2] -> [3,2]; the left operand is the graph input.
  const Tensor column = floats({3, 1}, {1, 2, 3});
  const Tensor row = floats({1, 2}, {10, 100});
  const Tensor result = run_op("Sub", column, {row});
  ASSERT_EQ(result.shape(), (Shape{3, 2}));
  EXPECT_EQ(values_of(result), (std::vector<float>{-9, -99, -8, -98, -7, -97}));
}

TEST(BinaryKernels, FusedActivation) {
  const Tensor a = floats({4}, {-5, 1, 4, 9});
  const Tensor b = floats({4}, {1, 1, 1, 1});
  EXPECT_EQ(values_of(run_op("Add", a, {b}, attributes({{"activation", std::string("relu")}}))),
            (std::vector<float>{0, 2, 5, 10}));
  EXPECT_EQ(values_of(run_op("Add", a, {b}, attributes({{"activation", std::string("relu6")}}))),
            (std::vector<float>{0, 2, 5, 6}));
}

TEST(BatchNormKernel, NormalisesEachChannel) {
  // channel 0: (x - 1) / sqrt(4) * 2 + 3 = x + 2; channel 1: (x - 0) / sqrt(1) * -1 + 0 = -x.
  const Tensor x = floats({2, 2, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  const Tensor gamma = floats({2}, {2, -1});
  const Tensor beta = floats({2}, {3, 0});
  const Tensor mean = floats({2}, {1, 0});
  const Tensor variance = floats({2}, {4, 1});
  const Tensor y = run_op("BatchNorm", x, {gamma, beta, mean, variance}, attributes({{"epsilon", 0.0}}));
  EXPECT_EQ(values_of(y), (std::vector<float>{3, 4, -3, -4, 7, 8, -7, -8}));
  // The default epsilon 1e-5 is applied: sqrt(1 + 1e-5) for channel 1.
  const Tensor with_epsilon = run_op("BatchNorm", x, {gamma, beta, mean, variance});
  EXPECT_FLOAT_EQ(with_epsilon.data<float>()[2], -3.0f / std::sqrt(1.0f + 1e-5f));
}

TEST(BinaryKernels, SameShapeFastPathEqualsTheBroadcastKernelNanIncluded) {
  // Operands of one shape take a flat loop outside reference runs.
  const Tensor a = floats({1, 2, 2, 3}, {NAN, -1, 3, 0.1f, -7, 8, 1e30f, -2, 0, 5, 6, -0.5f});
  const Tensor b = floats({1, 2, 2, 3}, {1, 2, -3, 0.2f, 7, -9, 1e30f, 1, -0.0f, 1, -7, 0.25f});
  const RunOptions reference{.reference = true};
  for (const char* op : {"Add", "Sub", "Mul"}) {
    const Attributes relu6 = attributes({{"activation", std::string("relu6")}});
    const std::vector<float> fast = values_of(run_op(op, a, {b}, relu6));
    const std::vector<float> slow = values_of(run_op(op, a, {b}, relu6, reference));
    ASSERT_EQ(fast.size(), slow.size());
    EXPECT_TRUE(std::isnan(fast[0])) << op;
    for (std::size_t i = 1; i < fast.size(); ++i) EXPECT_EQ(fast[i], slow[i]) << op << " element " << i;
  }
}

}  // namespace
}  // namespace edgeport
