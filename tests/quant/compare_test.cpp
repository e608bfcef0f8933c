#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.h"
#include "quant/compare.h"

namespace edgeport {
namespace {

TEST(CompareOutputs, ComputesTheFourFiguresByHand) {
  const Tensor reference = Tensor::from_vector<float>({4}, {1.0f, -2.0f, 3.0f, 0.0f});
  const Tensor candidate = Tensor::from_vector<float>({4}, {1.5f, -2.0f, 2.0f, 0.0f});
  const ModelComparison comparison = compare_outputs(reference, candidate);
  EXPECT_DOUBLE_EQ(comparison.max_abs_diff, 1.0);
  EXPECT_DOUBLE_EQ(comparison.mean_abs_diff, 1.5 / 4);
  // signal 1+4+9 = 14, noise 0.25+1 = 1.25
  EXPECT_NEAR(comparison.sqnr_db, 10.0 * std::log10(14.0 / 1.25), 1e-12);
  // dot 1.5+4+6 = 11.5, |a|^2 14, |b|^2 2.25+4+4 = 10.25
  EXPECT_NEAR(comparison.cosine_similarity, 11.5 / std::sqrt(14.0 * 10.25), 1e-12);
  EXPECT_EQ(comparison.elements, 4);
}

TEST(CompareOutputs, IdenticalOutputsHaveInfiniteSqnr) {
  const Tensor output = Tensor::from_vector<float>({2, 2}, {0.1f, 0.2f, -0.3f, 4.0f});
  const ModelComparison comparison = compare_outputs(output, output);
  EXPECT_EQ(comparison.max_abs_diff, 0.0);
  EXPECT_TRUE(std::isinf(comparison.sqnr_db) && comparison.sqnr_db > 0);
  EXPECT_NEAR(comparison.cosine_similarity, 1.0, 1e-15);
}

TEST(CompareOutputs, NanInTheCandidateIsNeverClose) {
  const Tensor reference = Tensor::from_vector<float>({3}, {1.0f, 2.0f, 3.0f});
  const Tensor candidate = Tensor::from_vector<float>({3}, {std::numeric_limits<float>::quiet_NaN(), 2.0f, 3.0f});
  const ModelComparison comparison = compare_outputs(reference, candidate);
  EXPECT_TRUE(std::isnan(comparison.max_abs_diff));
  EXPECT_FALSE(comparison.sqnr_db > 0);
}

TEST(CompareOutputs, ShapeMismatchIsAnError) {
  EXPECT_THROW(compare_outputs(Tensor(DType::Float32, {2, 3}), Tensor(DType::Float32, {3, 2})), Error);
}

TEST(CompareOutputs, AccumulatorPoolsEnergiesAcrossPairs) {
  ComparisonAccumulator accumulator;
  accumulator.add(Tensor::from_vector<float>({1}, {2.0f}), Tensor::from_vector<float>({1}, {2.0f}));
  accumulator.add(Tensor::from_vector<float>({1}, {1.0f}), Tensor::from_vector<float>({1}, {0.0f}));
  const ModelComparison pooled = accumulator.result();
  EXPECT_DOUBLE_EQ(pooled.max_abs_diff, 1.0);
  EXPECT_DOUBLE_EQ(pooled.mean_abs_diff, 0.5);
  EXPECT_NEAR(pooled.sqnr_db, 10.0 * std::log10(5.0), 1e-12);
  EXPECT_EQ(pooled.elements, 2);
}

}  // namespace
}  // namespace edgeport
