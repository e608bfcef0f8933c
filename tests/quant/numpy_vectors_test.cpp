// The quantizer against test vectors NumPy computed independently
// (tools/make_quant_vectors.py): scales, zero points, codes, clip values and
// guard decisions must match exactly, error figures to rounding.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "core/npy.h"
#include "quant/tensor_quantizer.h"
#include "quant_fixtures.h"

namespace edgeport {
namespace {

using nlohmann::json;

QuantConfig config_of(const json& item) {
  QuantConfig config;
  config.bits = item.at("bits").get<int>();
  config.symmetric = item.at("symmetric").get<bool>();
  config.per_channel = item.at("per_channel").get<bool>();
  config.clip = parse_clip_method(item.at("clip").get<std::string>());
  config.clip_percentile = item.at("clip_percentile").get<double>();
  config.clip_scope = parse_clip_scope(item.at("clip_scope").get<std::string>());
  config.clip_guard = item.at("clip_guard").get<bool>();
  return config;
}

const Tensor& fixture_tensor(const std::string& name) {
  static std::map<std::string, Tensor> loaded;
  auto found = loaded.find(name);
  if (found == loaded.end()) {
    const std::string file = quant_test::vectors().at("tensors").at(name).get<std::string>();
    found = loaded.emplace(name, read_npy(quant_test::source_path("tests/fixtures/quant/" + file))).first;
  }
  return found->second;
}

TEST(NumpyVectors, FixtureStatesTheRoundingRuleWeImplement) {
  EXPECT_EQ(quant_test::vectors().at("rounding"), "half_to_even");
}

TEST(NumpyVectors, CoverEveryBitWidthModeAndEdgeCase) {
  std::map<std::string, int> seen;
  for (const json& item : quant_test::vectors().at("cases")) {
    ++seen["bits" + std::to_string(item.at("bits").get<int>())];
    ++seen[item.at("symmetric").get<bool>() ? "symmetric" : "asymmetric"];
    ++seen[item.at("per_channel").get<bool>() ? "per_channel" : "per_tensor"];
    ++seen["clip_" + item.at("clip").get<std::string>()];
    ++seen["tensor_" + item.at("tensor").get<std::string>()];
    for (bool rejected : item.at("clip_rejected")) seen["guard_rejected"] += rejected;
    for (bool applied : item.at("clip_applied")) seen["clip_applied"] += applied;
  }
  for (const char* key : {"bits2", "bits4", "bits8", "symmetric", "asymmetric", "per_channel", "per_tensor",
                          "clip_none", "clip_percentile", "clip_mse", "tensor_constant", "tensor_zeros",
                          "tensor_single", "tensor_signs", "tensor_outlier", "guard_rejected", "clip_applied"}) {
    EXPECT_GT(seen[key], 0) << key;
  }
}

TEST(NumpyVectors, ParametersAndCodesMatchExactly) {
  int checked = 0;
  for (const json& item : quant_test::vectors().at("cases")) {
    const std::string id = item.at("id").get<std::string>();
    SCOPED_TRACE(id);
    const QuantizedTensor result =
        quantize_tensor(fixture_tensor(item.at("tensor").get<std::string>()), id, config_of(item));
    const TensorQuantRecord& record = result.record;
    ASSERT_EQ(record.axis, item.at("axis").get<int>());
    ASSERT_EQ(record.scale, item.at("scale").get<std::vector<float>>());
    ASSERT_EQ(record.zero_point, item.at("zero_point").get<std::vector<std::int32_t>>());
    ASSERT_EQ(record.clip_value, item.at("clip_value").get<std::vector<double>>());
    ASSERT_EQ(record.clip_applied, item.at("clip_applied").get<std::vector<bool>>());
    ASSERT_EQ(record.clip_rejected, item.at("clip_rejected").get<std::vector<bool>>());
    const std::vector<std::int32_t> expected_codes = item.at("codes").get<std::vector<std::int32_t>>();
    ASSERT_EQ(result.codes.numel(), static_cast<std::int64_t>(expected_codes.size()));
    const std::int8_t* codes = result.codes.data<std::int8_t>();
    for (std::size_t i = 0; i < expected_codes.size(); ++i)
      ASSERT_EQ(static_cast<int>(codes[i]), expected_codes[i]) << "code " << i;
    ASSERT_TRUE(result.codes.quant.has_value());
    EXPECT_EQ(result.codes.quant->scale, record.scale);
    EXPECT_EQ(result.codes.quant->axis, record.axis);
    if (item.at("sqnr_db").is_null()) {
      EXPECT_TRUE(std::isinf(record.sqnr_db) && record.sqnr_db > 0);
    } else {
      EXPECT_NEAR(record.sqnr_db, item.at("sqnr_db").get<double>(), 1e-9);
    }
    EXPECT_NEAR(record.max_abs_error, item.at("max_abs_error").get<double>(), 1e-15);
    ++checked;
  }
  EXPECT_GT(checked, 300);
}

}  // namespace
}  // namespace edgeport
