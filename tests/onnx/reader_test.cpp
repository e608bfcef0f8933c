// The reader: round trips through the writer, shape-subgraph folding, and
// clear errors (never a crash) on malformed or unsupported files.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "core/error.h"
#include "core/file_io.h"
#include "onnx/onnx_check.h"
#include "onnx/onnx_export.h"
#include "onnx/onnx_import.h"
#include "onnx/onnx_model_io.h"
#include "onnx/onnx_tensor.h"
#include "onnx_test_support.h"
#include "test_graphs.h"

namespace edgeport {
namespace {

using namespace onnx_test;

std::vector<std::string> ir_ops(const Graph& graph) {
  std::vector<std::string> ops;
  for (const Node& node : graph.nodes) ops.push_back(node.op);
  return ops;
}

void expect_error_containing(const std::function<void()>& action, const std::vector<std::string>& parts) {
  try {
    action();
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    const std::string message = error.what();
    for (const std::string& part : parts) EXPECT_NE(message.find(part), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
  }
}

TEST(OnnxReader, RoundTripKeepsOpsNamesMetadataAndResults) {
  const Graph graph = classifier_graph();
  const std::filesystem::path file = scratch_folder("round_trip") / "model.onnx";
  write_onnx(graph, file);
  const Graph read = read_onnx(file);
  EXPECT_EQ(ir_ops(read), (std::vector<std::string>{"Conv", "Relu", "Conv", "BatchNorm", "Relu6", "MaxPool", "AvgPool",
                                                     "GlobalAveragePool", "Flatten", "Linear", "Relu6"}));
  EXPECT_EQ(read.value(read.inputs.at(0)).name, "input");
  EXPECT_EQ(read.value(read.outputs.at(0)).name, "fc");
  EXPECT_EQ(read.metadata.at("architecture"), "hand_built");
  const Tensor input = random_tensor({1, 3, 17, 19}, 40, 2.0f);
  EXPECT_LE(max_abs_diff(run_ours(graph, input), run_ours(read, input)), 1e-6);

  const Graph shapes = shape_ops_graph();
  write_onnx(shapes, file);
  const Tensor shape_input = random_tensor({1, 3, 8, 6}, 41);
  EXPECT_LE(max_abs_diff(run_ours(shapes, shape_input), run_ours(read_onnx(file), shape_input)), 1e-6);
}

TEST(OnnxReader, QdqWeightsComeBackAsInt8ConstantsWithTheirParameters) {
  const Graph graph = quantized_graph(true, false);
  const std::filesystem::path file = scratch_folder("qdq_round_trip") / "model.onnx";
  write_onnx(graph, file);
  const Graph read = read_onnx(file);
  int dequantized = 0;
  for (const Node& node : read.nodes) {
    if (node.op != "Dequantize") continue;
    ++dequantized;
    const Value& codes = read.value(node.inputs.at(0));
    ASSERT_TRUE(codes.constant.has_value());
    ASSERT_EQ(codes.dtype, DType::Int8);
    ASSERT_TRUE(codes.quant.has_value());
    const Value& original = graph.value(graph.find_value(codes.name));
    EXPECT_EQ(codes.quant->axis, 0);
    EXPECT_EQ(codes.quant->scale, original.quant->scale) << codes.name;
    EXPECT_EQ(codes.quant->zero_point, original.quant->zero_point) << codes.name;
    EXPECT_EQ(std::vector<std::uint8_t>(codes.constant->raw(), codes.constant->raw() + codes.constant->nbytes()),
              std::vector<std::uint8_t>(original.constant->raw(), original.constant->raw() + original.constant->nbytes()));
  }
  EXPECT_EQ(dequantized, 3);
  const Tensor input = random_tensor({1, 4, 12, 10}, 42, 3.0f);
  EXPECT_LE(max_abs_diff(run_ours(graph, input), run_ours(read, input)), 1e-6);
}

TEST(OnnxReader, ReadsTheOpset11PerAxisFormAndHardSigmoidSwish) {
  const std::filesystem::path folder = scratch_folder("old_forms");
  OnnxExportOptions options;
  options.opset = 11;
  const Graph quantized = quantized_graph(true, false);
  write_onnx(quantized, folder / "quantized.onnx", options);
  const Tensor input = random_tensor({1, 4, 12, 10}, 43, 3.0f);
  EXPECT_LE(max_abs_diff(run_ours(quantized, input), run_ours(read_onnx(folder / "quantized.onnx"), input)), 1e-6);

  Graph swish;
  const int x = swish.add_input("input", DType::Float32, {1, 2, 3, 3});
  swish.mark_output(swish.add("HardSwish", "hswish", {x}));
  write_onnx(swish, folder / "swish.onnx", options);
  const Graph read = read_onnx(folder / "swish.onnx");
  EXPECT_EQ(ir_ops(read), std::vector<std::string>{"HardSwish"});
}

TEST(OnnxReader, SymbolicBatchDefaultsToOneOrTakesTheGivenShape) {
  const Graph graph = classifier_graph();
  const std::filesystem::path file = scratch_folder("symbolic_batch") / "model.onnx";
  OnnxExportOptions options;
  options.dynamic_batch = true;
  write_onnx(graph, file, options);
  EXPECT_EQ(read_onnx(file).value(0).shape, (Shape{1, 3, 17, 19}));
  const Graph batched = read_onnx(file, OnnxImportOptions{{4, 3, 17, 19}});
  EXPECT_EQ(batched.value(batched.outputs.at(0)).shape, (Shape{4, 5}));
}

// A hand-made model: one float input and the given nodes and initializers.
onnx::ModelProto make_model(const Shape& input_shape, int opset = 13) {
  onnx::ModelProto model;
  model.set_ir_version(7);
  model.add_opset_import()->set_version(opset);
  onnx::ValueInfoProto* input = model.mutable_graph()->add_input();
  input->set_name("x");
  input->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto_DataType_FLOAT);
  for (std::int64_t extent : input_shape) {
    input->mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(extent);
  }
  return model;
}

onnx::NodeProto& add_node(onnx::ModelProto& model, const std::string& op, const std::string& name,
                          const std::vector<std::string>& inputs, const std::vector<std::string>& outputs) {
  onnx::NodeProto* node = model.mutable_graph()->add_node();
  node->set_op_type(op);
  node->set_name(name);
  for (const std::string& input : inputs) node->add_input(input);
  for (const std::string& output : outputs) node->add_output(output);
  return *node;
}

void add_output(onnx::ModelProto& model, const std::string& name) { model.mutable_graph()->add_output()->set_name(name); }

void add_int64s(onnx::ModelProto& model, const std::string& name, const std::vector<std::int64_t>& values) {
  *model.mutable_graph()->add_initializer() =
      tensor_to_onnx(Tensor::from_vector<std::int64_t>({static_cast<std::int64_t>(values.size())}, values), name);
}

TEST(OnnxReader, FoldsShapeArithmeticIntoAStaticReshape) {
  // torch's x.view(x.size(0), -1): Shape -> Gather -> Unsqueeze -> Concat -> Reshape.
  onnx::ModelProto model = make_model({2, 3, 4, 4});
  add_node(model, "Shape", "shape", {"x"}, {"shape"});
  *model.mutable_graph()->add_initializer() = tensor_to_onnx(Tensor::from_vector<std::int64_t>({}, {0}), "zero");
  onnx::NodeProto& gather = add_node(model, "Gather", "gather", {"shape", "zero"}, {"batch"});
  onnx::AttributeProto* axis = gather.add_attribute();
  axis->set_name("axis");
  axis->set_type(onnx::AttributeProto_AttributeType_INT);
  axis->set_i(0);
  add_int64s(model, "axes", {0});
  add_node(model, "Unsqueeze", "unsqueeze", {"batch", "axes"}, {"batch_1d"});
  add_int64s(model, "rest", {-1});
  onnx::NodeProto& concat = add_node(model, "Concat", "concat", {"batch_1d", "rest"}, {"target"});
  onnx::AttributeProto* concat_axis = concat.add_attribute();
  concat_axis->set_name("axis");
  concat_axis->set_type(onnx::AttributeProto_AttributeType_INT);
  concat_axis->set_i(0);
  add_node(model, "Reshape", "flatten", {"x", "target"}, {"y"});
  add_output(model, "y");
  const Graph graph = import_onnx_model(model, "hand.onnx");
  ASSERT_EQ(ir_ops(graph), std::vector<std::string>{"Reshape"});
  EXPECT_EQ(graph.nodes[0].attrs.get_ints("shape"), (std::vector<std::int64_t>{2, 48}));
  EXPECT_EQ(graph.value(graph.outputs[0]).name, "y");
}

TEST(OnnxReader, ReadsNearestUpsampleOfOpset9) {
  onnx::ModelProto model = make_model({1, 1, 2, 3}, 9);
  *model.mutable_graph()->add_initializer() = tensor_to_onnx(Tensor::from_vector<float>({4}, {1, 1, 2, 3}), "scales");
  add_node(model, "Upsample", "upsample", {"x", "scales"}, {"y"});
  add_output(model, "y");
  const Graph graph = import_onnx_model(model, "upsample.onnx");
  ASSERT_EQ(ir_ops(graph), std::vector<std::string>{"Resize"});
  const Tensor output = run_ours(graph, Tensor::from_vector<float>({1, 1, 2, 3}, {1, 2, 3, 4, 5, 6}));
  ASSERT_EQ(output.shape(), (Shape{1, 1, 4, 9}));
  EXPECT_EQ(output.data<float>()[0], 1.0f);
  EXPECT_EQ(output.data<float>()[3], 2.0f);
  EXPECT_EQ(output.data<float>()[2 * 9 + 8], 6.0f);

  *model.mutable_graph()->mutable_initializer(0) = tensor_to_onnx(Tensor::from_vector<float>({4}, {1, 1, 0.5f, 1}), "scales");
  expect_error_containing([&] { import_onnx_model(model, "shrink.onnx"); }, {"upsample", "opset 11"});
}

TEST(OnnxReader, ReadsQuantizeDequantizeOfActivations) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 3, 3});
  const int q = graph.add("Quantize", "quantize", {x}, attributes({{"dtype", std::string("uint8")}}));
  graph.value(q).quant = QuantParams{{0.05f}, {128}, -1};
  graph.mark_output(graph.add("Dequantize", "dequantize", {q}));
  const std::filesystem::path file = scratch_folder("activation_qdq") / "model.onnx";
  write_onnx(graph, file);
  const Graph read = read_onnx(file);
  ASSERT_EQ(ir_ops(read), (std::vector<std::string>{"Quantize", "Dequantize"}));
  const Value& codes = read.value(read.nodes[0].outputs[0]);
  EXPECT_EQ(codes.dtype, DType::UInt8);
  ASSERT_TRUE(codes.quant.has_value());
  EXPECT_EQ(codes.quant->zero_point, std::vector<std::int32_t>{128});
  const Tensor input = random_tensor({1, 2, 3, 3}, 44, 5.0f);
  EXPECT_EQ(max_abs_diff(run_ours(graph, input), run_ours(read, input)), 0.0);
}

TEST(OnnxReader, QuantizesAFloatWeightReadByQuantizeLinear) {
  // Fake-quantized weights as quantization-aware training exports them:
  // QuantizeLinear -> DequantizeLinear on a float initializer.
  onnx::ModelProto model = make_model({1, 2, 5, 5});
  onnx::GraphProto& graph = *model.mutable_graph();
  *graph.add_initializer() = tensor_to_onnx(random_tensor({3, 2, 3, 3}, 45), "w");
  *graph.add_initializer() = tensor_to_onnx(Tensor::from_vector<float>({3}, {0.01f, 0.02f, 0.005f}), "w_scale");
  Tensor zero_points(DType::Int8, {3});
  zero_points.data<std::int8_t>()[0] = 3;
  zero_points.data<std::int8_t>()[1] = -5;
  *graph.add_initializer() = tensor_to_onnx(zero_points, "w_zero_point");
  for (const char* op : {"QuantizeLinear", "DequantizeLinear"}) {
    onnx::NodeProto& node = add_node(model, op, op, {op[0] == 'Q' ? "w" : "w_q", "w_scale", "w_zero_point"},
                                     {op[0] == 'Q' ? "w_q" : "w_dq"});
    onnx::AttributeProto* axis = node.add_attribute();
    axis->set_name("axis");
    axis->set_type(onnx::AttributeProto_AttributeType_INT);
    axis->set_i(0);
  }
  add_node(model, "Conv", "conv", {"x", "w_dq"}, {"y"});
  add_output(model, "y");
  const Graph read = import_onnx_model(model, "qat.onnx");
  ASSERT_EQ(ir_ops(read), (std::vector<std::string>{"Dequantize", "Conv"}));
  const Value& codes = read.value(read.nodes[0].inputs[0]);
  EXPECT_EQ(codes.dtype, DType::Int8);
  EXPECT_EQ(codes.quant->zero_point, (std::vector<std::int32_t>{3, -5, 0}));
  const std::filesystem::path file = scratch_folder("qat") / "model.onnx";
  write_file_atomically(file, serialize_onnx_model(model));
  const Tensor input = random_tensor({1, 2, 5, 5}, 46);
  EXPECT_LE(max_abs_diff(run_ours(read, input), run_onnx_runtime(file, {input}).front()), 1e-6);
}

TEST(OnnxReader, FullCheckRejectsAnInvalidModel) {
  onnx::ModelProto model = make_model({1, 2, 4, 4});
  add_node(model, "Conv", "conv", {"x"}, {"y"});
  add_output(model, "y");
  expect_error_containing([&] { check_onnx_model(model, "invalid.onnx"); }, {"invalid.onnx", "checker"});
}

TEST(OnnxReader, NamesTheNodeOfAnUnsupportedOp) {
  onnx::ModelProto model = make_model({1, 4});
  add_node(model, "Softmax", "probabilities", {"x"}, {"y"});
  add_output(model, "y");
  expect_error_containing([&] { import_onnx_model(model, "scores.onnx"); },
                          {"scores.onnx", "probabilities", "Softmax", "not supported"});
}

TEST(OnnxReader, RefusesUnsupportedVariantsClearly) {
  onnx::ModelProto clip = make_model({1, 4});
  *clip.mutable_graph()->add_initializer() = tensor_to_onnx(Tensor::from_vector<float>({}, {-1.0f}), "low");
  *clip.mutable_graph()->add_initializer() = tensor_to_onnx(Tensor::from_vector<float>({}, {1.0f}), "high");
  add_node(clip, "Clip", "clamp", {"x", "low", "high"}, {"y"});
  add_output(clip, "y");
  expect_error_containing([&] { import_onnx_model(clip, "clip.onnx"); }, {"clip.onnx", "clamp", "Clip to"});

  onnx::ModelProto resize = make_model({1, 1, 4, 4});
  *resize.mutable_graph()->add_initializer() =
      tensor_to_onnx(Tensor::from_vector<float>({4}, {1, 1, 2, 2}), "scales");
  add_node(resize, "Resize", "upsample", {"x", "", "scales"}, {"y"});
  add_output(resize, "y");
  expect_error_containing([&] { import_onnx_model(resize, "resize.onnx"); }, {"upsample", "half_pixel"});

  onnx::ModelProto unknown_input = make_model({1, 4});
  add_node(unknown_input, "Relu", "relu", {"missing"}, {"y"});
  add_output(unknown_input, "y");
  expect_error_containing([&] { import_onnx_model(unknown_input, "dangling.onnx"); }, {"relu", "'missing'"});

  onnx::ModelProto gather = make_model({1, 4});
  add_node(gather, "Shape", "shape", {"x"}, {"shape"});
  *gather.mutable_graph()->add_initializer() = tensor_to_onnx(Tensor::from_vector<std::int64_t>({}, {5}), "index");
  add_node(gather, "Gather", "pick", {"shape", "index"}, {"y"});
  add_output(gather, "y");
  expect_error_containing([&] { import_onnx_model(gather, "gather.onnx"); }, {"pick", "out of range"});

  onnx::ModelProto newer = make_model({1, 4}, 18);
  add_node(newer, "Relu", "relu", {"x"}, {"y"});
  add_output(newer, "y");
  expect_error_containing([&] { import_onnx_model(newer, "new.onnx"); }, {"new.onnx", "opset 18"});
}

TEST(OnnxReader, RejectsMalformedTensors) {
  onnx::ModelProto short_data = make_model({1, 2});
  onnx::TensorProto bias = tensor_to_onnx(Tensor::from_vector<float>({2}, {1, 2}), "bias");
  bias.mutable_raw_data()->resize(5);
  *short_data.mutable_graph()->add_initializer() = bias;
  add_node(short_data, "Add", "add", {"x", "bias"}, {"y"});
  add_output(short_data, "y");
  expect_error_containing([&] { import_onnx_model(short_data, "short.onnx"); }, {"short.onnx", "'bias'", "bytes"});

  onnx::ModelProto external = make_model({1, 2});
  onnx::TensorProto stored = tensor_to_onnx(Tensor::from_vector<float>({2}, {1, 2}), "weights");
  stored.clear_raw_data();
  stored.set_data_location(onnx::TensorProto_DataLocation_EXTERNAL);
  *external.mutable_graph()->add_initializer() = stored;
  add_node(external, "Add", "add", {"x", "weights"}, {"y"});
  add_output(external, "y");
  expect_error_containing([&] { import_onnx_model(external, "external.onnx"); }, {"'weights'", "external"});

  onnx::ModelProto negative = make_model({1, 2});
  onnx::TensorProto odd = tensor_to_onnx(Tensor::from_vector<float>({2}, {1, 2}), "odd");
  odd.set_dims(0, -2);
  *negative.mutable_graph()->add_initializer() = odd;
  add_node(negative, "Add", "add", {"x", "odd"}, {"y"});
  add_output(negative, "y");
  expect_error_containing([&] { import_onnx_model(negative, "negative.onnx"); }, {"'odd'", "negative"});
}

TEST(OnnxReader, RejectsFilesThatAreNotOnnx) {
  const std::filesystem::path folder = scratch_folder("not_onnx");
  write_file_atomically(folder / "empty.onnx", std::string());
  expect_error_containing([&] { read_onnx(folder / "empty.onnx"); }, {"empty.onnx", "empty"});
  write_file_atomically(folder / "text.onnx", std::string("this is not a protobuf at all \xff\xff\xff"));
  expect_error_containing([&] { read_onnx(folder / "text.onnx"); }, {"text.onnx"});
  expect_error_containing([&] { read_onnx(folder / "missing.onnx"); }, {"missing.onnx"});
}

// Truncations and byte flips of a real file must give an Error or a graph,
// never a crash or another exception.
TEST(OnnxReader, SurvivesCorruptedFiles) {
  const std::filesystem::path folder = scratch_folder("corrupted");
  write_onnx(quantized_graph(true, false), folder / "model.onnx");
  const std::vector<std::uint8_t> bytes = read_file_bytes(folder / "model.onnx");
  std::mt19937 generator(7);
  int errors = 0;
  auto attempt = [&](const std::vector<std::uint8_t>& candidate) {
    try {
      const Graph graph = import_onnx_model(parse_onnx_model(candidate, "corrupt.onnx"), "corrupt.onnx");
      graph.validate();
    } catch (const Error&) {
      ++errors;
    }
  };
  for (std::size_t length = 0; length < bytes.size(); length += 1 + bytes.size() / 200) {
    attempt(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length)));
  }
  std::uniform_int_distribution<std::size_t> position(0, bytes.size() - 1);
  std::uniform_int_distribution<int> value(0, 255);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<std::uint8_t> corrupted = bytes;
    for (int flips = 0; flips < 1 + trial % 4; ++flips) corrupted[position(generator)] = static_cast<std::uint8_t>(value(generator));
    attempt(corrupted);
  }
  EXPECT_GT(errors, 200);
}

}  // namespace
}  // namespace edgeport
