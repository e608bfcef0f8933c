#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "core/error.h"
#include "quant/affine.h"
#include "quant/tensor_quantizer.h"

namespace edgeport {
namespace {

Tensor normal_tensor(Shape shape, float stddev, unsigned seed) {
  std::mt19937 generator(seed);
  std::normal_distribution<float> normal(0.0f, stddev);
  Tensor tensor(DType::Float32, std::move(shape));
  for (float& value : tensor.values<float>()) value = normal(generator);
  return tensor;
}

double max_abs_difference(const Tensor& a, const Tensor& b) {
  double result = 0.0;
  for (std::int64_t i = 0; i < a.numel(); ++i) {
    result = std::max(result, std::fabs(double(a.data<float>()[i]) - double(b.data<float>()[i])));
  }
  return result;
}

TEST(TensorQuantizer, StoresInt8CodesWhoseDequantizationMatchesTheRecord) {
  const Tensor weights = normal_tensor({6, 4, 3, 3}, 0.2f, 1);
  const QuantizedTensor result = quantize_tensor(weights, "conv.weight", QuantConfig{});
  EXPECT_EQ(result.codes.dtype(), DType::Int8);
  EXPECT_EQ(result.codes.shape(), weights.shape());
  ASSERT_TRUE(result.codes.quant.has_value());
  EXPECT_EQ(result.codes.quant->axis, 0);
  EXPECT_EQ(result.codes.quant->scale.size(), 6u);
  EXPECT_EQ(result.record.axis, 0);
  const Tensor restored = result.codes.dequantized();
  EXPECT_DOUBLE_EQ(max_abs_difference(restored, weights), result.record.max_abs_error);
  // Half a step of the coarsest channel bounds the error.
  const float coarsest = *std::max_element(result.record.scale.begin(), result.record.scale.end());
  EXPECT_LE(result.record.max_abs_error, 0.5 * coarsest * (1 + 1e-6));
  EXPECT_GT(result.record.sqnr_db, 35.0);
  EXPECT_EQ(result.record.bytes_before, 6 * 4 * 3 * 3 * 4);
  EXPECT_EQ(result.record.bytes_after, 6 * 4 * 3 * 3 + 6 * 5);
}

TEST(TensorQuantizer, PerTensorWhenAskedOrForOneDimensionalTensors) {
  QuantConfig per_tensor;
  per_tensor.per_channel = false;
  const QuantizedTensor matrix = quantize_tensor(normal_tensor({3, 5}, 1.0f, 2), "fc.weight", per_tensor);
  EXPECT_EQ(matrix.record.axis, -1);
  EXPECT_EQ(matrix.record.scale.size(), 1u);
  const QuantizedTensor vector = quantize_tensor(normal_tensor({7}, 1.0f, 3), "v", QuantConfig{});
  EXPECT_EQ(vector.record.axis, -1);
  EXPECT_EQ(vector.codes.quant->axis, -1);
}

TEST(TensorQuantizer, DepthwiseFiltersArePerChannelAlongAxisZero) {
  const QuantizedTensor result = quantize_tensor(normal_tensor({5, 1, 3, 3}, 0.5f, 4), "dw.weight", QuantConfig{});
  EXPECT_EQ(result.record.axis, 0);
  EXPECT_EQ(result.record.scale.size(), 5u);
}

TEST(TensorQuantizer, ConstantAndAllZeroTensorsAreExact) {
  const Tensor constant = Tensor::from_vector<float>({2, 3}, std::vector<float>(6, -0.8f));
  const QuantizedTensor constant_result = quantize_tensor(constant, "c", QuantConfig{});
  EXPECT_LT(constant_result.record.max_abs_error, 1e-7);
  const Tensor zeros(DType::Float32, {3, 4});
  for (bool symmetric : {false, true}) {
    QuantConfig config;
    config.symmetric = symmetric;
    const QuantizedTensor zero_result = quantize_tensor(zeros, "z", config);
    for (float scale : zero_result.record.scale) EXPECT_EQ(scale, kMinScale);
    EXPECT_EQ(zero_result.record.max_abs_error, 0.0);
    EXPECT_TRUE(std::isinf(zero_result.record.sqnr_db));
    const Tensor restored = zero_result.codes.dequantized();
    for (float value : restored.values<float>()) EXPECT_EQ(value, 0.0f);
  }
}

TEST(TensorQuantizer, SingleElementIsReconstructed) {
  const QuantizedTensor result = quantize_tensor(Tensor::from_vector<float>({1}, {3.25f}), "s", QuantConfig{});
  EXPECT_NEAR(result.codes.dequantized().data<float>()[0], 3.25f, 1e-6f);
}

TEST(TensorQuantizer, OneSignedChannelsUseTheWholeCodeRange) {
  const Tensor weights = Tensor::from_vector<float>({2, 4}, {-0.1f, -0.4f, -0.2f, -0.9f, 0.3f, 0.05f, 1.2f, 0.7f});
  QuantConfig config;
  config.clip = ClipMethod::None;
  const QuantizedTensor result = quantize_tensor(weights, "w", config);
  EXPECT_EQ(result.record.zero_point[0], 127);   // 0 is the top of a negative-only channel
  EXPECT_EQ(result.record.zero_point[1], -128);  // and the bottom of a positive-only one
  const std::int8_t* codes = result.codes.data<std::int8_t>();
  EXPECT_EQ(codes[3], -128);
  EXPECT_EQ(codes[6], 127);
}

TEST(TensorQuantizer, GuardKeepsASingleLargeWeightUsableWithDefaultSettings) {
  Tensor weights = normal_tensor({4, 27}, 0.05f, 5);
  weights.data<float>()[27 + 13] = 4.0f;  // channel 1
  const QuantizedTensor guarded = quantize_tensor(weights, "w", QuantConfig{});
  EXPECT_TRUE(guarded.record.clip_rejected[1]);
  EXPECT_FALSE(guarded.record.clip_applied[1]);
  const float restored = guarded.codes.dequantized().data<float>()[27 + 13];
  EXPECT_NEAR(restored, 4.0f, 0.5 * guarded.record.scale[1] + 1e-6);

  QuantConfig seed_behaviour;
  seed_behaviour.clip_scope = ClipScope::Tensor;
  seed_behaviour.clip_guard = false;
  const QuantizedTensor clipped = quantize_tensor(weights, "w", seed_behaviour);
  EXPECT_TRUE(clipped.record.clip_applied[1]);
  EXPECT_LT(clipped.codes.dequantized().data<float>()[27 + 13], 0.95f * 4.0f);
  EXPECT_LT(clipped.record.sqnr_db, guarded.record.sqnr_db - 6.0);
  // The guard only refuses clips that hurt: its channel error never exceeds the unclipped one.
  QuantConfig no_clip;
  no_clip.clip = ClipMethod::None;
  EXPECT_LE(guarded.record.mse, quantize_tensor(weights, "w", no_clip).record.mse);
}

TEST(TensorQuantizer, ClippedFractionCountsTheValuesBeyondAppliedClips) {
  Tensor weights = normal_tensor({1, 1000}, 1.0f, 6);
  QuantConfig config;
  config.bits = 4;
  config.clip_percentile = 99.0;
  const QuantizedTensor result = quantize_tensor(weights, "w", config);
  ASSERT_TRUE(result.record.clip_applied[0]);
  EXPECT_EQ(result.record.clipped_values, 10);  // |x| above the 99th percentile of 1000 values
  EXPECT_DOUBLE_EQ(result.record.clipped_fraction(), 0.01);
}

TEST(TensorQuantizer, NonFiniteWeightsAreAnErrorNamingTheTensor) {
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    Tensor weights = normal_tensor({2, 3}, 1.0f, 7);
    weights.data<float>()[4] = bad;
    try {
      quantize_tensor(weights, "layer3.conv.weight", QuantConfig{});
      FAIL() << "expected an error";
    } catch (const Error& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find("layer3.conv.weight"), std::string::npos) << message;
      EXPECT_NE(message.find(std::isnan(bad) ? "NaN" : "Inf"), std::string::npos) << message;
    }
  }
}

TEST(TensorQuantizer, RejectsNonFloatWeights) {
  EXPECT_THROW(quantize_tensor(Tensor(DType::Float16, {2, 2}), "h", QuantConfig{}), Error);
}

}  // namespace
}  // namespace edgeport
