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

// A version 2.0 file (4-byte header length) with `header` as its dict and no data.
std::vector<std::uint8_t> npy_with_header(const std::string& header) {
  std::vector<std::uint8_t> bytes = {0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0};
  const auto length = static_cast<std::uint32_t>(header.size());
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(length >> (8 * i)));
  bytes.insert(bytes.end(), header.begin(), header.end());
  return bytes;
}

void expect_error_naming(const std::vector<std::uint8_t>& bytes, const std::string& problem) {
  try {
    parse_npy(bytes, "sample.npy");
    FAIL() << "parsed";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind("sample.npy: ", 0), 0u) << message;
    EXPECT_NE(message.find(problem), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

// Fuzzing finding: std::stoll threw std::out_of_range past the Error handlers.
TEST(Npy, RefusesShapeExtentBeyondInt64) {
  expect_error_naming(npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 18446744073709551616), }\n"),
                      "too large");
}

// A product of extents that wraps 64 bits would have sized a tensor from the wrapped count.
TEST(Npy, RefusesShapeWhoseByteCountOverflows) {
  expect_error_naming(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }\n"),
                      "more elements than a tensor can hold");
}

// Found with the fuzz target: a 100 KB descr overflowed the stack inside std::regex.
TEST(Npy, RefusesHeaderLongerThanNumPyReads) {
  expect_error_naming(npy_with_header("{'descr': '" + std::string(100000, 'f') + "', 'fortran_order': False, "
                                      "'shape': (1,), }\n"),
                      "longer than NumPy's limit of 10000");
}

}  // namespace
}  // namespace edgeport
