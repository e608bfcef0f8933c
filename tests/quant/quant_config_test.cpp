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

}  // namespace
}  // namespace edgeport
