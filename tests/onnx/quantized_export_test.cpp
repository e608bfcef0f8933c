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
#include "requantization.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

using namespace onnx_test;
using Ints = std::vector<std::int64_t>;

Attributes attrs(std::initializer_list<std::pair<const char*, AttributeValue>> entries) {
  Attributes result;
  for (const auto& [name, value] : entries) result.set(name, value);
  return result;
}

// int8 codes of a float weight, per output channel (axis 0) or per tensor,
// asymmetric over [-128, 127] or symmetric over [-127, 127].
Tensor quantize_weight(const Tensor& weight, bool per_channel, bool symmetric) {
  const std::int64_t channels = per_channel ? weight.dim(0) : 1;
  const std::int64_t per = weight.numel() / channels;
  Tensor codes(DType::Int8, weight.shape());
  QuantParams params;
  params.axis = per_channel ? 0 : -1;
  for (std::int64_t c = 0; c < channels; ++c) {
    const float* values = weight.data<float>() + c * per;
    const float low = std::min(0.0f, *std::min_element(values, values + per));
    const float high = std::max(0.0f, *std::max_element(values, values + per));
    const float scale = symmetric ? std::max(-low, high) / 127.0f : (high - low) / 255.0f;
    const std::int32_t zero_point = symmetric ? 0 : static_cast<std::int32_t>(std::nearbyint(-128.0f - low / scale));
    params.scale.push_back(scale);
    params.zero_point.push_back(zero_point);
    for (std::int64_t i = 0; i < per; ++i) {
      const float code = std::nearbyint(values[i] / scale) + static_cast<float>(zero_point);
      codes.data<std::int8_t>()[c * per + i] = static_cast<std::int8_t>(std::clamp(code, -128.0f, 127.0f));
    }
  }
  codes.quant = params;
  return codes;
}

int dequantized_weight(Graph& graph, const std::string& name, const Tensor& weight, bool per_channel, bool symmetric) {
  const int codes = graph.add_constant(name + "_quantized", quantize_weight(weight, per_channel, symmetric));
  return graph.add("Dequantize", name + "_dequantize", {codes});
}

// Conv + fused ReLU, a grouped Conv, Relu6, pooling and a Linear, all with
// int8 weights.
Graph quantized_graph(bool per_channel, bool symmetric) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 4, 12, 10});
  int y = graph.add("Conv", "conv1",
                    {x, dequantized_weight(graph, "conv1.weight", random_tensor({8, 4, 3, 3}, 21, 0.4f), per_channel, symmetric),
                     graph.add_constant("conv1.bias", random_tensor({8}, 22))},
                    attrs({{"pads", Ints{1, 1, 1, 1}}, {"activation", std::string("relu")}}));
  y = graph.add("Conv", "grouped",
                {y, dequantized_weight(graph, "grouped.weight", random_tensor({8, 4, 3, 3}, 23, 0.3f), per_channel, symmetric)},
                attrs({{"group", std::int64_t{2}}, {"strides", Ints{2, 2}}, {"pads", Ints{0, 1, 1, 0}}}));
  y = graph.add("Relu6", "relu6", {y});
  y = graph.add("GlobalAveragePool", "gap", {y});
  y = graph.add("Flatten", "flatten", {y});
  y = graph.add("Linear", "fc",
                {y, dequantized_weight(graph, "fc.weight", random_tensor({3, 8}, 24), per_channel, symmetric),
                 graph.add_constant("fc.bias", random_tensor({3}, 25))});
  graph.mark_output(y);
  return graph;
}

std::int64_t int8_initializer_bytes(const std::filesystem::path& file) {
  const onnx::ModelProto model = load_onnx_model(file);
  std::int64_t bytes = 0;
  for (const onnx::TensorProto& tensor : model.graph().initializer()) {
    if (tensor.data_type() == onnx::TensorProto_DataType_INT8) bytes += static_cast<std::int64_t>(tensor.raw_data().size());
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
    OnnxExportOptions options;
    options.opset = opset;
    const std::filesystem::path file = folder / ("opset" + std::to_string(opset) + ".onnx");
    write_onnx(graph, file, options);
    const onnx::ModelProto model = load_onnx_model(file);
    int per_axis = 0;
    for (const onnx::NodeProto& node : model.graph().node()) {
      if (node.op_type() != "DequantizeLinear") continue;
      for (const onnx::AttributeProto& attribute : node.attribute()) per_axis += attribute.name() == "axis" && attribute.i() == 0;
    }
    EXPECT_EQ(per_axis, 3);
    EXPECT_EQ(int8_initializer_bytes(file), (8 * 4 * 9 + 8 * 4 * 9 + 3 * 8) + 8 + 8 + 3) << "codes and zero points";
    EXPECT_LE(max_abs_diff(ours, run_onnx_runtime(file, {input}).front()), 1e-4);
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
    EXPECT_GT(int8_initializer_bytes(file), 0);
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
  graph.mark_output(graph.add("Conv", "conv", {x, codes}, attrs({{"hybrid", std::int64_t{1}}})));
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
// which does ONNX Runtime's integer arithmetic; (b) our runtime on the
// weight-only graph, within the worst-case bound activation requantization
// allows (see requantization.h); (c) the weight-only graph with its
// activations requantized in float, which must agree to float rounding.
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
    EXPECT_LE(max_abs_diff(run_ours(with_requantized_activations(graph), input), theirs), 1e-4) << "seed " << seed;
  }
}

TEST(OnnxQuantizedExport, DynamicFormWithOneWeightZeroPointPerTensor) {
  check_dynamic_export(quantized_graph(true, true), "dynamic_symmetric", false);
}

TEST(OnnxQuantizedExport, DynamicFormCorrectsDifferingPerChannelZeroPoints) {
  check_dynamic_export(quantized_graph(true, false), "dynamic_asymmetric", true);
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
