// The writer over hand-built graphs, each file judged by ONNX Runtime against
// our runtime on the same graph.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/error.h"
#include "onnx/onnx_export.h"
#include "onnx/onnx_import.h"
#include "onnx/onnx_model_io.h"
#include "onnx_test_support.h"
#include "test_graphs.h"

namespace edgeport {
namespace {

using namespace onnx_test;
using Ints = std::vector<std::int64_t>;

void expect_matches_runtime(const Graph& graph, const std::filesystem::path& file, const Tensor& input, double tolerance) {
  const Tensor ours = run_ours(graph, input);
  const Tensor theirs = run_onnx_runtime(file, {input}).front();
  EXPECT_LE(max_abs_diff(ours, theirs), tolerance) << file;
}

TEST(OnnxWriter, FloatClassifierMatchesOnnxRuntimeAtEveryOpset) {
  const Graph graph = classifier_graph();
  const std::filesystem::path folder = scratch_folder("float_classifier");
  const Tensor input = random_tensor({1, 3, 17, 19}, 11, 2.0f);
  for (int opset = kMinOnnxOpset; opset <= kMaxOnnxOpset; ++opset) {
    OnnxExportOptions options;
    options.opset = opset;
    const std::filesystem::path file = folder / ("opset" + std::to_string(opset) + ".onnx");
    write_onnx(graph, file, options);
    EXPECT_EQ(load_onnx_model(file).opset_import(0).version(), opset);
    expect_matches_runtime(graph, file, input, 1e-5);
  }
}

// float16 weights: every Conv / Gemm weight and bias is a float16 initializer
// behind a Cast, at every opset; ONNX Runtime and our reader of the file agree,
// and both stay within float16 rounding of the float graph.
TEST(OnnxWriter, Float16WeightsAreCastToFloatAndMatchOnnxRuntime) {
  const Graph graph = classifier_graph();
  const std::filesystem::path folder = scratch_folder("float16_weights");
  const Tensor input = random_tensor({1, 3, 17, 19}, 11, 2.0f);
  const Tensor reference = run_ours(graph, input);
  for (int opset : {kMinOnnxOpset, 13, kMaxOnnxOpset}) {
    OnnxExportOptions options;
    options.opset = opset;
    options.float16_weights = true;
    const std::filesystem::path file = folder / ("opset" + std::to_string(opset) + ".onnx");
    write_onnx(graph, file, options);
    const onnx::ModelProto model = load_onnx_model(file);
    std::set<std::string> float_initializers;
    int half_initializers = 0;
    for (const auto& initializer : model.graph().initializer()) {
      if (initializer.data_type() == onnx::TensorProto_DataType_FLOAT) float_initializers.insert(initializer.name());
      if (initializer.data_type() == onnx::TensorProto_DataType_FLOAT16) ++half_initializers;
    }
    int casts = 0;
    for (const auto& node : model.graph().node()) {
      casts += node.op_type() == "Cast";
      if (node.op_type() != "Conv" && node.op_type() != "Gemm" && node.op_type() != "MatMul") continue;
      for (int i = 1; i < node.input_size(); ++i) EXPECT_EQ(float_initializers.count(node.input(i)), 0u) << node.name();
    }
    EXPECT_GT(half_initializers, 0) << file;
    EXPECT_EQ(casts, half_initializers) << file;
    const Tensor theirs = run_onnx_runtime(file, {input}).front();
    const Tensor read_back = run_ours(read_onnx(file), input);
    EXPECT_LE(max_abs_diff(theirs, read_back), 1e-5) << file;
    EXPECT_GT(sqnr_db(reference, theirs), 50.0) << file;
    EXPECT_GT(max_abs_diff(reference, theirs), 0.0) << "the weights were not rounded to float16: " << file;
  }
}

TEST(OnnxWriter, WritesExplicitNamesShapesTypesAndMetadata) {
  const Graph graph = classifier_graph();
  const std::filesystem::path file = scratch_folder("metadata") / "model.onnx";
  OnnxExportOptions options;
  options.metadata["source_checkpoint"] = "weights.pt";
  write_onnx(graph, file, options);
  const onnx::ModelProto model = load_onnx_model(file);
  ASSERT_EQ(model.graph().input_size(), 1);
  EXPECT_EQ(model.graph().input(0).name(), "input");
  const auto& dims = model.graph().input(0).type().tensor_type().shape().dim();
  ASSERT_EQ(dims.size(), 4);
  EXPECT_EQ(dims[2].dim_value(), 17);
  EXPECT_EQ(model.graph().input(0).type().tensor_type().elem_type(), onnx::TensorProto_DataType_FLOAT);
  ASSERT_EQ(model.graph().output_size(), 1);
  EXPECT_EQ(model.graph().output(0).name(), "fc");
  EXPECT_EQ(model.graph().output(0).type().tensor_type().shape().dim(1).dim_value(), 5);
  std::map<std::string, std::string> metadata;
  for (const auto& entry : model.metadata_props()) metadata[entry.key()] = entry.value();
  EXPECT_EQ(metadata["architecture"], "hand_built");
  EXPECT_EQ(metadata["source_checkpoint"], "weights.pt");
  EXPECT_EQ(metadata["producer"].rfind("edgeport ", 0), 0u);
  EXPECT_EQ(model.producer_name(), "edgeport");
}

Graph hard_swish_graph() {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 4, 4});
  graph.mark_output(graph.add("HardSwish", "hswish", {graph.add("Sigmoid", "gate", {x})}));
  return graph;
}

TEST(OnnxWriter, HardSwishBelowOpset14IsXTimesHardSigmoid) {
  const Graph graph = hard_swish_graph();
  const std::filesystem::path folder = scratch_folder("hard_swish");
  Tensor input = random_tensor({1, 2, 4, 4}, 3, 8.0f);
  for (int opset : {13, 14}) {
    OnnxExportOptions options;
    options.opset = opset;
    const std::filesystem::path file = folder / ("opset" + std::to_string(opset) + ".onnx");
    write_onnx(graph, file, options);
    const std::vector<std::string> ops = onnx_ops(file);
    const bool native = std::count(ops.begin(), ops.end(), "HardSwish") == 1;
    EXPECT_EQ(native, opset >= 14);
    EXPECT_EQ(std::count(ops.begin(), ops.end(), "HardSigmoid"), opset >= 14 ? 0 : 1);
    expect_matches_runtime(graph, file, input, 1e-6);
  }
}

TEST(OnnxWriter, ShapeOpsMatchOnnxRuntime) {
  const Graph graph = shape_ops_graph();
  const std::filesystem::path folder = scratch_folder("shape_ops");
  const Tensor input = random_tensor({1, 3, 8, 6}, 9);
  for (int opset : {11, 13, 17}) {
    OnnxExportOptions options;
    options.opset = opset;
    const std::filesystem::path file = folder / ("opset" + std::to_string(opset) + ".onnx");
    write_onnx(graph, file, options);
    expect_matches_runtime(graph, file, input, 1e-5);
  }
}

// Runs a batch of 3 through the file in ONNX Runtime and each sample through
// our runtime on the batch-1 graph.
void expect_batch_matches_runtime(const Graph& graph, const std::filesystem::path& file, std::uint32_t seed) {
  Shape batch_shape = graph.value(graph.inputs[0]).shape;
  batch_shape[0] = 3;
  const Tensor batch = random_tensor(batch_shape, seed);
  const Tensor theirs = run_onnx_runtime(file, {batch}).front();
  ASSERT_EQ(theirs.dim(0), 3);
  for (std::int64_t n = 0; n < 3; ++n) {
    Tensor sample(DType::Float32, graph.value(graph.inputs[0]).shape);
    std::copy_n(batch.data<float>() + n * sample.numel(), sample.numel(), sample.data<float>());
    const Tensor ours = run_ours(graph, sample);
    ASSERT_EQ(theirs.numel(), 3 * ours.numel());
    for (std::int64_t k = 0; k < ours.numel(); ++k) {
      EXPECT_NEAR(ours.data<float>()[k], theirs.data<float>()[n * ours.numel() + k], 1e-5) << "sample " << n;
    }
  }
}

TEST(OnnxWriter, NearestResizeToOddSizesMatchesOnnxRuntime) {
  const std::filesystem::path folder = scratch_folder("resize_sizes");
  const std::vector<std::pair<std::int64_t, std::int64_t>> extents{{7, 3}, {5, 13}, {3, 7}, {10, 3}, {9, 31}, {13, 5}};
  for (const auto& [in, out] : extents) {
    Graph graph;
    const int x = graph.add_input("input", DType::Float32, {1, 1, in, in + 2});
    graph.mark_output(graph.add("Resize", "resize", {x}, attributes({{"sizes", Ints{out, out + 1}}})));
    const std::filesystem::path file = folder / ("resize_" + std::to_string(in) + "_" + std::to_string(out) + ".onnx");
    write_onnx(graph, file);
    expect_matches_runtime(graph, file, random_tensor({1, 1, in, in + 2}, 13), 0.0);
  }
}

TEST(OnnxWriter, DynamicBatchRunsOtherBatchSizes) {
  const std::filesystem::path folder = scratch_folder("dynamic_batch");
  OnnxExportOptions options;
  options.dynamic_batch = true;
  for (const Graph& graph : {classifier_graph(), shape_ops_graph()}) {
    const std::filesystem::path file = folder / "model.onnx";
    write_onnx(graph, file, options);
    const onnx::ModelProto model = load_onnx_model(file);
    EXPECT_EQ(model.graph().input(0).type().tensor_type().shape().dim(0).dim_param(), "batch");
    EXPECT_EQ(model.graph().output(0).type().tensor_type().shape().dim(0).dim_param(), "batch");
    expect_batch_matches_runtime(graph, file, 12);
  }
}

TEST(OnnxWriter, DynamicBatchRefusesAReshapeAcrossTheBatchAxis) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 3, 4, 4});
  graph.mark_output(graph.add("Reshape", "fold_batch", {x}, attributes({{"shape", Ints{3, 16}}})));
  OnnxExportOptions options;
  options.dynamic_batch = true;
  const std::filesystem::path folder = scratch_folder("dynamic_batch_refused");
  try {
    write_onnx(graph, folder / "model.onnx", options);
    FAIL() << "a Reshape of the batch axis was written with a symbolic batch";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("fold_batch"), std::string::npos) << error.what();
  }
  EXPECT_TRUE(std::filesystem::is_empty(folder));
}

TEST(OnnxWriter, RejectsUnsupportedOpsetsAndFormatsWithoutWritingAFile) {
  const Graph graph = classifier_graph();
  const std::filesystem::path folder = scratch_folder("rejects");
  for (int opset : {10, 18}) {
    OnnxExportOptions options;
    options.opset = opset;
    try {
      write_onnx(graph, folder / "model.onnx", options);
      FAIL() << "opset " << opset << " accepted";
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find("use 11 to 17"), std::string::npos) << error.what();
    }
  }
  OnnxExportOptions unknown_format;
  unknown_format.quant_format = "static";
  EXPECT_THROW(write_onnx(graph, folder / "model.onnx", unknown_format), Error);
  EXPECT_TRUE(std::filesystem::is_empty(folder));
}

}  // namespace
}  // namespace edgeport
