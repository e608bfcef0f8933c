#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "pipeline/detection.h"

namespace edgeport {
namespace {

Tensor logit_map(const std::vector<float>& values) {
  return Tensor::from_vector<float>({1, 1, 1, static_cast<std::int64_t>(values.size())}, values);
}

TEST(Detection, MeanIsSigmoidOfMeanLogit) {
  const DetectionSummary summary = summarize_patch_logits(logit_map({-2, 0.5, 1.5, 4}), Aggregation::parse("mean"));
  EXPECT_NEAR(summary.aggregated_logit, 1.0, 1e-12);
  EXPECT_NEAR(summary.fake_probability, 1.0 / (1.0 + std::exp(-1.0)), 1e-12);
  EXPECT_DOUBLE_EQ(summary.fraction_above_half, 0.75);
}

TEST(Detection, TopKDefaultsToAtLeastFivePatches) {
  std::vector<float> values(20);
  for (int i = 0; i < 20; ++i) values[static_cast<std::size_t>(i)] = static_cast<float>(i);
  const DetectionSummary summary = summarize_patch_logits(logit_map(values), Aggregation::parse("topk"));
  EXPECT_EQ(summary.k_used, 5);
  EXPECT_NEAR(summary.aggregated_logit, (19 + 18 + 17 + 16 + 15) / 5.0, 1e-12);
}

TEST(Detection, TopKDefaultIsTenPercentForLargeMaps) {
  std::vector<float> values(126 * 126, -1.0f);
  const DetectionSummary summary = summarize_patch_logits(logit_map(values), Aggregation::parse("topk"));
  EXPECT_EQ(summary.k_used, 1588);  // ceil(0.1 * 15876)
}

TEST(Detection, ExplicitKAndMax) {
  const Tensor map = logit_map({3, -1, 7, 2});
  EXPECT_NEAR(summarize_patch_logits(map, Aggregation::parse("topk:2")).aggregated_logit, 5.0, 1e-12);
  EXPECT_NEAR(summarize_patch_logits(map, Aggregation::parse("max")).aggregated_logit, 7.0, 1e-12);
}

TEST(Detection, RejectsMalformedAggregation) {
  EXPECT_THROW(Aggregation::parse("median"), Error);
  EXPECT_THROW(Aggregation::parse("topk:0"), Error);
  EXPECT_THROW(Aggregation::parse("topk:3x"), Error);
}

}  // namespace
}  // namespace edgeport
