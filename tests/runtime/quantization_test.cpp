#include <gtest/gtest.h>

#include "core/error.h"
#include "run_op.h"

namespace edgeport {
namespace {

using testing::attributes;
using testing::floats;
using testing::values_of;

Tensor run_dequantize(const Tensor& codes) {
  Graph graph;
  const int input = graph.add_constant("codes", codes);
  graph.mark_output(graph.add("Dequantize", "dequantize", {input}));
  return Session(graph).run({}).front();
}

TEST(DequantizeKernel, PerTensorInt8AndUint8) {
  Tensor codes = Tensor::from_vector<std::int8_t>({3}, {-128, 0, 127});
  codes.quant = QuantParams{{0.5f}, {-1}, -1};
  EXPECT_EQ(values_of(run_dequantize(codes)), (std::vector<float>{-63.5f, 0.5f, 64}));
  Tensor unsigned_codes = Tensor::from_vector<std::uint8_t>({2}, {0, 255});
  unsigned_codes.quant = QuantParams{{0.1f}, {128}, -1};
  const std::vector<float> values = values_of(run_dequantize(unsigned_codes));
  EXPECT_FLOAT_EQ(values[0], -12.8f);
  EXPECT_FLOAT_EQ(values[1], 12.7f);
}

TEST(DequantizeKernel, PerAxisAndInt32) {
  Tensor codes = Tensor::from_vector<std::int8_t>({2, 3}, {1, 2, 3, 1, 2, 3});
  codes.quant = QuantParams{{1.0f, 0.5f, 2.0f}, {0, 0, 1}, 1};
  EXPECT_EQ(values_of(run_dequantize(codes)), (std::vector<float>{1, 1, 4, 1, 1, 4}));
  Tensor bias = Tensor::from_vector<std::int32_t>({2}, {100000, -3});
  bias.quant = QuantParams{{0.25f, 0.5f}, {0, 0}, 0};
  EXPECT_EQ(values_of(run_dequantize(bias)), (std::vector<float>{25000, -1.5f}));
}

TEST(DequantizeKernel, WrongParameterCountNamesTheNode) {
  Tensor codes = Tensor::from_vector<std::int8_t>({2, 3}, {1, 2, 3, 1, 2, 3});
  codes.quant = QuantParams{{1.0f, 0.5f}, {0, 0}, 1};
  try {
    run_dequantize(codes);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("dequantize"), std::string::npos) << error.what();
  }
}

Tensor run_quantize(const Tensor& x, const QuantParams& params, const std::string& dtype) {
  Graph graph;
  const int input = graph.add_input("x", DType::Float32, x.shape());
  const int output = graph.add("Quantize", "quantize", {input}, attributes({{"dtype", dtype}}));
  graph.value(output).quant = params;
  graph.mark_output(output);
  return Session(graph).run({x}).front();
}

TEST(QuantizeKernel, RoundsHalfToEvenAndClamps) {
  const Tensor x = floats({6}, {0.5f, 1.5f, 2.5f, -0.5f, 1000, -1000});
  const Tensor codes = run_quantize(x, QuantParams{{1.0f}, {0}, -1}, "int8");
  EXPECT_EQ(std::vector<std::int8_t>(codes.values<std::int8_t>().begin(), codes.values<std::int8_t>().end()),
            (std::vector<std::int8_t>{0, 2, 2, 0, 127, -128}));
  const Tensor unsigned_codes = run_quantize(x, QuantParams{{0.5f}, {10}, -1}, "uint8");
  EXPECT_EQ(std::vector<std::uint8_t>(unsigned_codes.values<std::uint8_t>().begin(),
                                      unsigned_codes.values<std::uint8_t>().end()),
            (std::vector<std::uint8_t>{11, 13, 15, 9, 255, 0}));
}

TEST(QuantizeKernel, PerAxisRoundTripsThroughDequantize) {
  const Tensor x = floats({2, 2}, {0.3f, -8, 0.9f, 8});
  const QuantParams params{{0.1f, 0.0625f}, {0, 0}, 1};
  Tensor codes = run_quantize(x, params, "int8");
  EXPECT_EQ(std::vector<std::int8_t>(codes.values<std::int8_t>().begin(), codes.values<std::int8_t>().end()),
            (std::vector<std::int8_t>{3, -128, 9, 127}));
  codes.quant = params;
  const std::vector<float> back = values_of(run_dequantize(codes));
  EXPECT_FLOAT_EQ(back[0], 0.3f);
  EXPECT_FLOAT_EQ(back[1], -8.0f);
  EXPECT_FLOAT_EQ(back[3], 127 * 0.0625f);
}

TEST(QuantizeKernel, MissingParametersNameTheNode) {
  Graph graph;
  const int input = graph.add_input("x", DType::Float32, {1});
  graph.mark_output(graph.add("Quantize", "quantize", {input}));
  try {
    Session(graph).run({floats({1}, {1})});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("quantize"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace edgeport
