#include <gtest/gtest.h>

#include "core/error.h"
#include "core/npy.h"

namespace edgeport {
namespace {

TEST(Npy, RoundTripsThroughEncodeAndParse) {
  Tensor tensor = Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor back = parse_npy(encode_npy(tensor), "memory");
  EXPECT_EQ(back.shape(), tensor.shape());
  EXPECT_EQ(back.data<float>()[5], 6.0f);
}

TEST(Npy, RejectsTruncatedData) {
  std::vector<std::uint8_t> bytes = encode_npy(Tensor::from_vector<float>({4}, {1, 2, 3, 4}));
  bytes.resize(bytes.size() - 1);
  EXPECT_THROW(parse_npy(bytes, "memory"), Error);
}

}  // namespace
}  // namespace edgeport
