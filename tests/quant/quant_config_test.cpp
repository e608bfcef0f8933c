#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "quant/quant_config.h"

namespace edgeport {
namespace {

TEST(QuantConfig, DefaultsAreTheSeedGuides) {
  const QuantConfig config;
  EXPECT_EQ(config.bits, 8);
  EXPECT_FALSE(config.symmetric);
  EXPECT_TRUE(config.per_channel);
  EXPECT_EQ(config.clip, ClipMethod::Percentile);
  EXPECT_DOUBLE_EQ(config.clip_percentile, 99.9);
  EXPECT_EQ(config.clip_scope, ClipScope::Channel);
  EXPECT_TRUE(config.clip_guard);
  EXPECT_EQ(config.min_elements, 0);
  EXPECT_NO_THROW(config.validate());
}

TEST(QuantConfig, RejectsOutOfRangeOptionsByName) {
  QuantConfig config;
  config.bits = 9;
  EXPECT_THROW(config.validate(), Error);
  config.bits = 2;
  config.clip_percentile = 0.0;
  EXPECT_THROW(config.validate(), Error);
  config.clip_percentile = std::nan("");
  EXPECT_THROW(config.validate(), Error);
  config.clip = ClipMethod::None;
  EXPECT_NO_THROW(config.validate());
  config.min_elements = -1;
  EXPECT_THROW(config.validate(), Error);
  EXPECT_EQ(parse_clip_method("mse"), ClipMethod::Mse);
  EXPECT_EQ(parse_clip_scope("tensor"), ClipScope::Tensor);
  try {
    parse_clip_method("median");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("median"), std::string::npos);
  }
}

TEST(QuantConfig, CalibrationOptionsNameThemselves) {
  QuantConfig config;
  EXPECT_FALSE(config.needs_statistics());
  EXPECT_EQ(config.rounding, Rounding::Nearest);
  EXPECT_FALSE(config.bias_correction);
  config.clip = parse_clip_method("output");
  EXPECT_EQ(config.statistics_option(), "--clip output");
  config.bias_correction = true;
  EXPECT_EQ(config.statistics_option(), "--bias-correction");
  config.rounding = parse_rounding("adaptive");
  EXPECT_EQ(config.statistics_option(), "--rounding adaptive");
  EXPECT_TRUE(config.needs_statistics());
  EXPECT_EQ(to_string(Rounding::Adaptive), "adaptive");
  EXPECT_EQ(to_string(ClipMethod::Output), "output");
  EXPECT_THROW(parse_rounding("stochastic"), Error);
}

}  // namespace
}  // namespace edgeport
