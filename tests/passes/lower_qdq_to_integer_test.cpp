// Which QDQ patterns lower_qdq_to_integer turns into integer ops: here the
// mean and the value-moving reshapes; the weighted ops and Add are judged
// through whole files in tests/tflite/full_int8_test.cpp.
#include <gtest/gtest.h>

#include "core/ops/integer.h"
#include "core/ops/mean.h"
#include "core/ops/pool.h"
#include "core/ops/quantization.h"
#include "core/ops/reshape.h"
#include "graph_fixtures.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

// int8 codes (parameters `in`) -> Dequantize -> `op` -> Quantize to `out`.
Graph qdq_around(const std::string& op, Attributes attrs, const QuantParams& out,
                 const QuantParams& in = QuantParams{{0.05f}, {3}, -1}) {
  Graph graph;
  const int codes = graph.add_input("x", DType::Int8, {1, 4, 5, 6});
  graph.value(codes).quant = in;
  const int real = graph.add(op::Dequantize, "x_dequantized", {codes});
  const int result = graph.add(op, "op", {real}, std::move(attrs));
  Attributes int8;
  int8.set("dtype", std::string("int8"));
  const int quantized = graph.add(op::Quantize, "op_quantized", {result}, std::move(int8));
  graph.value(quantized).quant = out;
  graph.mark_output(quantized);
  return graph;
}

Attributes mean_over(std::vector<std::int64_t> axes, std::int64_t keepdims) {
  Attributes attrs;
  attrs.set("axes", std::move(axes));
  attrs.set("keepdims", keepdims);
  return attrs;
}

const QuantParams kOther{{0.02f}, {-7}, -1};
const QuantParams kSame{{0.05f}, {3}, -1};

TEST(LowerQdqToInteger, MeanOverHeightAndWidthKeepingDimsBecomesIntegerMean) {
  for (const std::vector<std::int64_t>& axes : {std::vector<std::int64_t>{2, 3}, std::vector<std::int64_t>{-1, -2}}) {
    Graph graph = qdq_around(op::Mean, mean_over(axes, 1), kOther);
    EXPECT_EQ(lower_qdq_to_integer(graph), 1);
    ASSERT_EQ(graph.nodes.size(), 1u);
    EXPECT_EQ(graph.nodes[0].op, op::IntegerMean);
    EXPECT_EQ(graph.value(graph.outputs[0]).shape, (Shape{1, 4, 1, 1}));
  }
  Graph pooled = qdq_around(op::GlobalAveragePool, {}, kOther);
  EXPECT_EQ(lower_qdq_to_integer(pooled), 1);
  EXPECT_EQ(pooled.nodes.at(0).op, op::IntegerMean);
}

// TFLite Micro runs a MEAN without kept dims, or over other axes, with
// another arithmetic than IntegerMean's: those stay float.
TEST(LowerQdqToInteger, OtherMeansStayFloat) {
  Graph dropped = qdq_around(op::Mean, mean_over({2, 3}, 0), kOther);
  EXPECT_EQ(lower_qdq_to_integer(dropped), 0);
  Graph channels = qdq_around(op::Mean, mean_over({1}, 1), kOther);
  EXPECT_EQ(lower_qdq_to_integer(channels), 0);
}

TEST(LowerQdqToInteger, FlattenMovesCodesOnlyBetweenEqualParameters) {
  Graph same = qdq_around(op::Flatten, {}, kSame);
  EXPECT_EQ(lower_qdq_to_integer(same), 1);
  ASSERT_EQ(same.nodes.size(), 1u);
  EXPECT_EQ(same.nodes[0].op, op::Flatten);
  EXPECT_EQ(same.value(same.outputs[0]).dtype, DType::Int8);
  Graph rescaled = qdq_around(op::Flatten, {}, kOther);
  EXPECT_EQ(lower_qdq_to_integer(rescaled), 0);
}

Attributes max_pool_window(std::vector<std::int64_t> pads) {
  Attributes attrs;
  attrs.set("kernel", std::vector<std::int64_t>{3, 3});
  attrs.set("strides", std::vector<std::int64_t>{2, 2});
  attrs.set("pads", std::move(pads));
  return attrs;
}

// Padding must hold the lowest code: a PAD with the zero point gives it only
// when the zero point is -128.
TEST(LowerQdqToInteger, MaxPoolPicksCodesWhenItsPaddingIsTheLowestCode) {
  const QuantParams from_zero{{0.05f}, {-128}, -1};
  Graph unpadded = qdq_around(op::MaxPool, max_pool_window({0, 0, 0, 0}), kSame);
  EXPECT_EQ(lower_qdq_to_integer(unpadded), 1);
  EXPECT_EQ(unpadded.value(unpadded.outputs[0]).dtype, DType::Int8);
  Graph padded_from_zero = qdq_around(op::MaxPool, max_pool_window({1, 1, 1, 1}), from_zero, from_zero);
  EXPECT_EQ(lower_qdq_to_integer(padded_from_zero), 1);
  Graph padded = qdq_around(op::MaxPool, max_pool_window({1, 1, 1, 1}), kSame);
  EXPECT_EQ(lower_qdq_to_integer(padded), 0);
  Graph rescaled = qdq_around(op::MaxPool, max_pool_window({0, 0, 0, 0}), kOther);
  EXPECT_EQ(lower_qdq_to_integer(rescaled), 0);
}

}  // namespace
}  // namespace edgeport
