// The registry of what the TFLite writer and reader support: refused ops
// carry a reason, and the writer quotes it when it meets such an op.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/conv.h"
#include "core/ops/matmul.h"
#include "core/ops/onnx_integer_ops.h"
#include "tflite/op_support.h"
#include "tflite/writer.h"

namespace edgeport {
namespace {

std::string lowering_error(const Graph& graph) {
  try {
    encode_tflite(graph, TfliteExportOptions{});
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(TfliteOpSupport, LoweringARefusedOpQuotesTheReason) {
  Graph graph;
  const int a = graph.add_input("a", DType::Float32, {2, 3});
  const int b = graph.add_input("b", DType::Float32, {3, 4});
  graph.mark_output(graph.add(op::MatMul, "product", {a, b}));
  const std::optional<std::string> reason = tflite_lowering_refusal(op::MatMul);
  ASSERT_TRUE(reason.has_value());
  const std::string message = lowering_error(graph);
  EXPECT_NE(message.find("'product' (MatMul)"), std::string::npos) << message;
  EXPECT_NE(message.find(*reason), std::string::npos) << message;
}

TEST(TfliteOpSupport, RefusedOpsAreNotSupported) {
  for (const std::string ir_op : {op::MatMul, op::ConvInteger}) {
    EXPECT_EQ(tflite_lowerable_ir_ops().count(ir_op), 0u) << ir_op;
    EXPECT_EQ(tflite_importable_ir_ops().count(ir_op), 0u) << ir_op;
    EXPECT_TRUE(tflite_lowering_refusal(ir_op).has_value()) << ir_op;
    EXPECT_TRUE(tflite_import_refusal(ir_op).has_value()) << ir_op;
  }
  EXPECT_FALSE(tflite_lowering_refusal(op::Conv).has_value());
  EXPECT_EQ(tflite_lowerable_ir_ops().count(op::Conv), 1u);
  EXPECT_EQ(tflite_importable_ir_ops().count(op::Conv), 1u);
}

}  // namespace
}  // namespace edgeport
