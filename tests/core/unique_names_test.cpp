#include <gtest/gtest.h>

#include "core/unique_names.h"

namespace edgeport {
namespace {

TEST(UniqueNames, SuffixesOnlyOnAClash) {
  UniqueNames names;
  names.reserve("conv");
  EXPECT_EQ(names.fresh("relu"), "relu");
  EXPECT_EQ(names.fresh("conv"), "conv_1");
  EXPECT_EQ(names.fresh("conv"), "conv_2");
  EXPECT_EQ(names.fresh(""), "value");
  EXPECT_EQ(names.fresh(""), "value_1");
  EXPECT_TRUE(names.contains("conv_2"));
  EXPECT_FALSE(names.contains("conv_3"));
}

}  // namespace
}  // namespace edgeport
