// The ONNX-specific IR ops and their kernels (DynamicQuantizeLinear,
// ConvInteger, MatMulInteger, Cast, MatMul) against ONNX Runtime: integer
// results must agree exactly.
#include <gtest/gtest.h>

#include "onnx/onnx_export.h"
#include "onnx_test_support.h"
#include "runtime/session.h"
#include "test_graphs.h"

namespace edgeport {
namespace {

using namespace onnx_test;
using Ints = std::vector<std::int64_t>;

// Random codes; int8 ones in [-reach, reach].
Tensor codes_tensor(DType dtype, Shape shape, std::uint32_t seed, float reach = 127.0f) {
  Tensor random = random_tensor(shape, seed, 1.0f);
  Tensor codes(dtype, std::move(shape));
  for (std::int64_t i = 0; i < codes.numel(); ++i) {
    const float unit = random.data<float>()[i];
    if (dtype == DType::Int8) codes.data<std::int8_t>()[i] = static_cast<std::int8_t>(unit * reach);
    else codes.data<std::uint8_t>()[i] = static_cast<std::uint8_t>((unit + 1.0f) * 127.0f);
  }
  return codes;
}

Tensor scalar_code(DType dtype, int value) {
  Tensor tensor(dtype, {});
  if (dtype == DType::Int8) tensor.data<std::int8_t>()[0] = static_cast<std::int8_t>(value);
  else tensor.data<std::uint8_t>()[0] = static_cast<std::uint8_t>(value);
  return tensor;
}

// DynamicQuantizeLinear's three outputs and a ConvInteger over them, cast to
// float so ONNX Runtime's and our results compare as .npy floats.
Graph conv_integer_graph(DType weight_dtype, const Attributes& attrs, Shape weight_shape, Shape input_shape) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, input_shape);
  const std::vector<int> quantized = graph.add_node("DynamicQuantizeLinear", "quantize", {x});
  const int weight = graph.add_constant("w", codes_tensor(weight_dtype, weight_shape, 50));
  const int w_zero = graph.add_constant("w_zero", scalar_code(weight_dtype, weight_dtype == DType::Int8 ? -3 : 130));
  const int accumulated = graph.add("ConvInteger", "conv", {quantized[0], weight, quantized[2], w_zero}, attrs);
  const Attributes to_float = attributes({{"to", std::string("float32")}});
  graph.mark_output(graph.add("Cast", "result", {accumulated}, to_float));
  graph.mark_output(quantized[1]);
  graph.mark_output(graph.add("Cast", "codes", {quantized[0]}, to_float));
  graph.mark_output(graph.add("Cast", "zero_point", {quantized[2]}, to_float));
  return graph;
}

void expect_identical_to_onnx_runtime(const Graph& graph, const Tensor& input, const std::string& name) {
  const std::filesystem::path file = scratch_folder(name) / "model.onnx";
  write_onnx(graph, file);
  const std::vector<Tensor> ours = Session(graph).run({input});
  const std::vector<Tensor> theirs = run_onnx_runtime(file, {input}, ours.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    EXPECT_EQ(max_abs_diff(ours[i], theirs[i]), 0.0) << name << " output " << i;
  }
}

TEST(OnnxIntegerOps, ConvIntegerMatchesOnnxRuntimeExactly) {
  const Attributes strided = attributes({{"strides", Ints{2, 1}}, {"pads", Ints{1, 0, 2, 1}}, {"dilations", Ints{1, 2}}});
  expect_identical_to_onnx_runtime(conv_integer_graph(DType::Int8, strided, {6, 3, 3, 3}, {2, 3, 9, 11}),
                                   random_tensor({2, 3, 9, 11}, 51, 4.0f), "conv_integer_int8");
  const Attributes grouped = attributes({{"group", std::int64_t{2}}, {"pads", Ints{1, 1, 1, 1}}});
  expect_identical_to_onnx_runtime(conv_integer_graph(DType::UInt8, grouped, {4, 2, 3, 3}, {1, 4, 7, 7}),
                                   random_tensor({1, 4, 7, 7}, 52, 2.0f), "conv_integer_uint8");
}

TEST(OnnxIntegerOps, DynamicQuantizeLinearHandlesOneSidedAndEmptyRanges) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {2, 5});
  const std::vector<int> quantized = graph.add_node("DynamicQuantizeLinear", "quantize", {x});
  const Attributes to_float = attributes({{"to", std::string("float32")}});
  graph.mark_output(graph.add("Cast", "codes", {quantized[0]}, to_float));
  graph.mark_output(quantized[1]);
  graph.mark_output(graph.add("Cast", "zero_point", {quantized[2]}, to_float));
  expect_identical_to_onnx_runtime(graph, Tensor::from_vector<float>({2, 5}, {-3, -2.5f, -1, -0.1f, -7, -2, -1, -4, -5, -6}),
                                   "dynamic_quantize_negative");
  expect_identical_to_onnx_runtime(graph, Tensor::from_vector<float>({2, 5}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
                                   "dynamic_quantize_zero");
  expect_identical_to_onnx_runtime(graph, random_tensor({2, 5}, 53, 100.0f), "dynamic_quantize_random");
}

// ONNX Runtime's x86 MatMulInteger without VNNI adds pairs of uint8 x int8
// products in saturating 16-bit arithmetic; int8 codes within +-64 keep every
// pair in range (2 * 255 * 64 <= 32767), so it is exact on every CPU.
TEST(OnnxIntegerOps, MatMulIntegerWithPerColumnZeroPointsAndCasts) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {2, 3, 6});
  const std::vector<int> quantized = graph.add_node("DynamicQuantizeLinear", "quantize", {x});
  Tensor zero_points(DType::Int8, {4});
  for (std::int64_t i = 0; i < 4; ++i) zero_points.data<std::int8_t>()[i] = static_cast<std::int8_t>(5 * i - 7);
  const int product = graph.add("MatMulInteger", "matmul",
                                {quantized[0], graph.add_constant("b", codes_tensor(DType::Int8, {6, 4}, 54, 64.0f)), quantized[2],
                                 graph.add_constant("b_zero", zero_points)});
  const int as_float = graph.add("Cast", "as_float", {product}, attributes({{"to", std::string("float32")}}));
  const int scaled = graph.add("Mul", "scaled", {as_float, graph.add_constant("step", Tensor::from_vector<float>({}, {0.37f}))});
  const int truncated = graph.add("Cast", "truncated", {scaled}, attributes({{"to", std::string("int32")}}));
  graph.mark_output(graph.add("Cast", "result", {truncated}, attributes({{"to", std::string("float32")}})));
  expect_identical_to_onnx_runtime(graph, random_tensor({2, 3, 6}, 55, 3.0f), "matmul_integer");
}

TEST(OnnxIntegerOps, MatMulBroadcastsBatchAxes) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {2, 1, 3, 5});
  graph.mark_output(graph.add("MatMul", "matmul", {x, graph.add_constant("b", random_tensor({4, 5, 2}, 56))}));
  const std::filesystem::path file = scratch_folder("matmul") / "model.onnx";
  write_onnx(graph, file);
  const Tensor input = random_tensor({2, 1, 3, 5}, 57);
  const Tensor ours = run_ours(graph, input);
  EXPECT_EQ(ours.shape(), (Shape{2, 4, 3, 2}));
  EXPECT_LE(max_abs_diff(ours, run_onnx_runtime(file, {input}).front()), 1e-6);
}

}  // namespace
}  // namespace edgeport
