// Quantized graphs (int8 constants read by Dequantize, as the quantizer
// writes them) in the QDQ and dynamic forms, judged by ONNX Runtime.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "onnx/onnx_export.h"
#include "onnx/onnx_import.h"
#include "onnx/onnx_model_io.h"
#include "onnx_test_support.h"
#include "test_graphs.h"
#include "requantization.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

using namespace onnx_test;
using Ints = std::vector<std::int64_t>;

std::int64_t initializer_bytes(const std::filesystem::path& file, onnx::TensorProto_DataType dtype) {
  const onnx::ModelProto model = load_onnx_model(file);
  std::int64_t bytes = 0;
  for (const onnx::TensorProto& tensor : model.graph().initializer()) {
    if (tensor.data_type() == dtype) bytes += static_cast<std::int64_t>(tensor.raw_data().size());
  }
  return bytes;
}

bool contains(const std::vector<std::string>& ops, const std::string& op) {
  return std::find(ops.begin(), ops.end(), op) != ops.end();
}

TEST(OnnxQuantizedExport, QdqUsesPerAxisDequantizeLinearFromOpset13) {
  const Graph graph = quantized_graph(true, false);
  const std::filesystem::path folder = scratch_folder("qdq_per_axis");
  const Tensor input = random_tensor({1, 4, 12, 10}, 26, 3.0f);
  const Tensor ours = run_ours(graph, input);
  for (int opset : {13, 17}) {
    for (bool int8_codes : {false, true}) {
      OnnxExportOptions options;
      options.opset = opset;
      options.int8_weight_codes = int8_codes;
      const std::filesystem::path file =
          folder / ("opset" + std::to_string(opset) + (int8_codes ? "_int8" : "_uint8") + ".onnx");
      write_onnx(graph, file, options);
      const onnx::ModelProto model = load_onnx_model(file);
      int per_axis = 0;
      for (const onnx::NodeProto& node : model.graph().node()) {
        if (node.op_type() != "DequantizeLinear") continue;
        for (const onnx::AttributeProto& attribute : node.attribute()) per_axis += attribute.name() == "axis" && attribute.i() == 0;
      }
      EXPECT_EQ(per_axis, 3);
      const std::int64_t codes_and_zero_points = (8 * 4 * 9 + 8 * 4 * 9 + 3 * 8) + 8 + 8 + 3;
      EXPECT_EQ(initializer_bytes(file, onnx::TensorProto_DataType_INT8), int8_codes ? codes_and_zero_points : 0);
      EXPECT_EQ(initializer_bytes(file, onnx::TensorProto_DataType_UINT8), int8_codes ? 0 : codes_and_zero_points);
      EXPECT_LE(max_abs_diff(ours, run_onnx_runtime(file, {input}).front()), 1e-4);
      EXPECT_EQ(max_abs_diff(ours, run_ours(read_onnx(file), input)), 0.0) << "read back as the same int8 weights";
    }
  }
}

TEST(OnnxQuantizedExport, QdqBelowOpset13DequantizesPerAxisWithCastSubMul) {
  const Graph graph = quantized_graph(true, false);
  const std::filesystem::path folder = scratch_folder("qdq_old_opsets");
  const Tensor input = random_tensor({1, 4, 12, 10}, 27, 3.0f);
  const Tensor ours = run_ours(graph, input);
  for (int opset : {11, 12}) {
    OnnxExportOptions options;
    options.opset = opset;
    const std::filesystem::path file = folder / ("opset" + std::to_string(opset) + ".onnx");
    write_onnx(graph, file, options);
    const std::vector<std::string> ops = onnx_ops(file);
    EXPECT_FALSE(contains(ops, "DequantizeLinear"));
    EXPECT_EQ(std::count(ops.begin(), ops.end(), "Cast"), 3);
    EXPECT_GT(initializer_bytes(file, onnx::TensorProto_DataType_UINT8), 0);
    EXPECT_LE(max_abs_diff(ours, run_onnx_runtime(file, {input}).front()), 1e-4);
  }
}

TEST(OnnxQuantizedExport, QdqPerTensorUsesDequantizeLinearAtOpset11) {
  const Graph graph = quantized_graph(false, true);
  const std::filesystem::path file = scratch_folder("qdq_per_tensor") / "model.onnx";
  OnnxExportOptions options;
  options.opset = 11;
  write_onnx(graph, file, options);
  const std::vector<std::string> ops = onnx_ops(file);
  EXPECT_EQ(std::count(ops.begin(), ops.end(), "DequantizeLinear"), 3);
  const Tensor input = random_tensor({1, 4, 12, 10}, 28, 3.0f);
  EXPECT_LE(max_abs_diff(run_ours(graph, input), run_onnx_runtime(file, {input}).front()), 1e-4);
}

TEST(OnnxQuantizedExport, HybridWeightsGetADequantizeLinear) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 3, 6, 6});
  const int codes = graph.add_constant("w_quantized", quantize_weight(random_tensor({4, 3, 3, 3}, 29), true, true));
  graph.mark_output(graph.add("Conv", "conv", {x, codes}, attributes({{"hybrid", std::int64_t{1}}})));
  const std::filesystem::path file = scratch_folder("hybrid") / "model.onnx";
  write_onnx(graph, file);
  EXPECT_TRUE(contains(onnx_ops(file), "DequantizeLinear"));
  const Tensor input = random_tensor({1, 3, 6, 6}, 30);
  RunOptions float_weights;
  float_weights.hybrid = false;
  const Tensor ours = Session(graph, float_weights).run({input}).front();
  EXPECT_LE(max_abs_diff(ours, run_onnx_runtime(file, {input}).front()), 1e-4);
}

// The dynamic form against (a) our runtime executing the same file read back,
// which does ONNX Runtime's integer arithmetic, and (b) our runtime on the
// weight-only graph, within the worst-case bound activation requantization
// allows (see requantization.h). A float emulation of the requantization is
// no tighter judge: a float rounding difference can move a value across a
// rounding boundary and change a code by one step.
void check_dynamic_export(const Graph& graph, const std::string& name, bool expect_correction) {
  const std::filesystem::path file = scratch_folder(name) / "model.onnx";
  OnnxExportOptions options;
  options.quant_format = "dynamic";
  write_onnx(graph, file, options);
  const std::vector<std::string> ops = onnx_ops(file);
  EXPECT_FALSE(contains(ops, "DequantizeLinear"));
  EXPECT_TRUE(contains(ops, "DynamicQuantizeLinear"));
  EXPECT_TRUE(contains(ops, "MatMulInteger"));
  EXPECT_EQ(std::count(ops.begin(), ops.end(), "ConvInteger"), expect_correction ? 4 : 2);
  for (std::uint32_t seed : {31u, 32u, 33u}) {
    const Tensor input = random_tensor({1, 4, 12, 10}, seed, 3.0f);
    const Tensor theirs = run_onnx_runtime(file, {input}).front();
    const Tensor integer_path = run_ours(read_onnx(file), input);
    EXPECT_LE(max_abs_diff(integer_path, theirs), 1e-5) << "seed " << seed;
    const double bound = requantization_bound(graph, input);
    const double difference = max_abs_diff(run_ours(graph, input), theirs);
    EXPECT_LE(difference, bound * 1.001 + 1e-5) << "seed " << seed;
    EXPECT_GT(difference, 0.0) << "activations were not requantized";
  }
}

TEST(OnnxQuantizedExport, DynamicFormWithOneWeightZeroPointPerTensor) {
  check_dynamic_export(quantized_graph(true, true), "dynamic_symmetric", false);
}

TEST(OnnxQuantizedExport, DynamicFormCorrectsDifferingPerChannelZeroPoints) {
  check_dynamic_export(quantized_graph(true, false), "dynamic_asymmetric", true);
}

// An input whose values lie on the uint8 grid DynamicQuantizeLinear picks
// (step 2^-4, zero point 100, both range ends present) is requantized without
// loss, so a single quantized layer in the dynamic form must reproduce the
// weight-only graph up to float rounding: a sharp check of zero points,
// correction term, scales, bias and activation.
Tensor on_grid_input(const Shape& shape, std::uint32_t seed) {
  Tensor input = random_tensor(shape, seed, 1.0f);
  const float step = 1.0f / 16.0f;
  for (float& value : input.values<float>()) value = step * std::nearbyint((value + 1.0f) * 127.5f - 100.0f);
  input.data<float>()[0] = step * -100.0f;
  input.data<float>()[1] = step * 155.0f;
  return input;
}

TEST(OnnxQuantizedExport, DynamicFormIsExactForOnGridInputs) {
  const std::filesystem::path folder = scratch_folder("dynamic_on_grid");
  OnnxExportOptions options;
  options.quant_format = "dynamic";
  for (bool symmetric : {false, true}) {
    Graph conv;
    const int x = conv.add_input("input", DType::Float32, {1, 4, 7, 6});
    const int weight = conv.add("Dequantize", "w_dequantize",
                                {conv.add_constant("w", quantize_weight(random_tensor({6, 2, 3, 3}, 35, 0.5f), true, symmetric))});
    conv.mark_output(conv.add("Conv", "conv", {x, weight, conv.add_constant("b", random_tensor({6}, 36))},
                              attributes({{"group", std::int64_t{2}}, {"strides", Ints{2, 1}}, {"pads", Ints{1, 0, 1, 2}},
                                          {"activation", std::string("relu6")}})));
    Graph linear;
    const int y = linear.add_input("input", DType::Float32, {2, 3, 5});
    const int matrix = linear.add("Dequantize", "m_dequantize",
                                  {linear.add_constant("m", quantize_weight(random_tensor({4, 5}, 37), true, symmetric))});
    linear.mark_output(linear.add("Linear", "fc", {y, matrix, linear.add_constant("c", random_tensor({4}, 38))}));
    for (const Graph* graph : {&conv, &linear}) {
      const std::filesystem::path file = folder / (graph == &conv ? "conv.onnx" : "linear.onnx");
      write_onnx(*graph, file, options);
      ASSERT_TRUE(contains(onnx_ops(file), "DynamicQuantizeLinear"));
      const Tensor input = on_grid_input(graph->value(graph->inputs[0]).shape, 39);
      EXPECT_LE(max_abs_diff(run_ours(*graph, input), run_onnx_runtime(file, {input}).front()), 1e-5)
          << file << (symmetric ? " symmetric" : " asymmetric");
    }
  }
}

// Weights and activations at the ends of their ranges: ONNX Runtime's x86
// kernels without VNNI add pairs of uint8 x int8 products in saturating
// 16-bit arithmetic (2 * 255 * 127 > 32767), so int8 weight codes come out
// wrong there. The codes a file stores by default keep its integer ops exact
// on every CPU. The conv sums 72 products of 1.0 x 0.5.
Graph full_range_conv(bool quantized_activations) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 8, 3, 3});
  int conv_input = x;
  if (quantized_activations) {
    const int q = graph.add("Quantize", "quantize", {x});
    graph.value(q).quant = QuantParams{{1.0f / 127.0f}, {0}, -1};
    conv_input = graph.add("Dequantize", "dequantize", {q});
  }
  const Tensor halves = Tensor::from_vector<float>({1, 8, 3, 3}, std::vector<float>(72, 0.5f));
  const int weight = graph.add("Dequantize", "w_dequantize", {graph.add_constant("w", quantize_weight(halves, false, true))});
  int y = graph.add("Conv", "conv", {conv_input, weight});
  if (quantized_activations) {
    const int q = graph.add("Quantize", "quantize_output", {y});
    graph.value(q).quant = QuantParams{{0.5f}, {0}, -1};
    y = graph.add("Dequantize", "dequantize_output", {q});
  }
  graph.mark_output(y);
  return graph;
}

TEST(OnnxQuantizedExport, FullRangeWeightsAndActivationsAreExactInOnnxRuntime) {
  const Tensor ones = Tensor::from_vector<float>({1, 8, 3, 3}, std::vector<float>(72, 1.0f));
  for (const std::string format : {"qdq", "dynamic"}) {
    const Graph graph = full_range_conv(format == "qdq");
    OnnxExportOptions options;
    options.quant_format = format;
    const std::filesystem::path file = scratch_folder("full_range_" + format) / "model.onnx";
    write_onnx(graph, file, options);
    const Tensor ours = run_ours(graph, ones);
    ASSERT_FLOAT_EQ(ours.data<float>()[0], 36.0f);
    EXPECT_LE(max_abs_diff(ours, run_onnx_runtime(file, {ones}).front()), 1e-4) << format;
  }
}

TEST(OnnxQuantizedExport, PerAxisQuantizeLinearBelowOpset13IsRefused) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 3, 3});
  const int q = graph.add("Quantize", "quantize", {x});
  graph.value(q).quant = QuantParams{{0.1f, 0.2f}, {0, 0}, 1};
  graph.mark_output(graph.add("Dequantize", "dequantize", {q}));
  OnnxExportOptions options;
  options.opset = 12;
  const std::filesystem::path folder = scratch_folder("per_axis_quantize");
  try {
    write_onnx(graph, folder / "model.onnx", options);
    FAIL() << "per-axis QuantizeLinear written at opset 12";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("opset 13"), std::string::npos) << error.what();
  }
  EXPECT_TRUE(std::filesystem::is_empty(folder));
  options.opset = 13;
  write_onnx(graph, folder / "model.onnx", options);
  const Tensor input = random_tensor({1, 2, 3, 3}, 34);
  EXPECT_LE(max_abs_diff(run_ours(graph, input), run_onnx_runtime(folder / "model.onnx", {input}).front()), 1e-6);
}

}  // namespace
}  // namespace edgeport
