#include <gtest/gtest.h>

#include "core/error.h"
#include "core/file_io.h"
#include "onnx/onnx_export.h"
#include "onnx/onnx_info.h"
#include "onnx/onnx_model_io.h"
#include "onnx_test_support.h"
#include "test_graphs.h"

namespace edgeport {
namespace {

using namespace onnx_test;

TEST(OnnxInfo, DescribesAQdqModel) {
  const std::filesystem::path file = scratch_folder("info_qdq") / "model.onnx";
  Graph graph = quantized_graph(true, false);
  graph.metadata["input_mean"] = "0.485,0.456,0.406";
  OnnxExportOptions options;
  options.metadata["source_checkpoint"] = "student.pt";
  write_onnx(graph, file, options);
  const nlohmann::json info = onnx_info(file);
  EXPECT_EQ(info.at("file_size_bytes").get<std::uintmax_t>(), std::filesystem::file_size(file));
  EXPECT_EQ(info.at("opset").at("ai.onnx"), 13);
  EXPECT_EQ(info.at("producer").at("name"), "edgeport");
  ASSERT_EQ(info.at("inputs").size(), 1u);
  EXPECT_EQ(info.at("inputs")[0].at("name"), "input");
  EXPECT_EQ(info.at("inputs")[0].at("dtype"), "float32");
  EXPECT_EQ(info.at("inputs")[0].at("shape"), nlohmann::json::array({1, 4, 12, 10}));
  EXPECT_EQ(info.at("outputs")[0].at("shape"), nlohmann::json::array({1, 3}));
  EXPECT_EQ(info.at("ops").at("DequantizeLinear"), 3);
  EXPECT_EQ(info.at("ops").at("Conv"), 2);
  EXPECT_EQ(info.at("ops").at("Gemm"), 1);
  std::int64_t nodes = 0;
  for (const auto& [op, count] : info.at("ops").items()) nodes += count.get<std::int64_t>();
  EXPECT_EQ(info.at("node_count").get<std::int64_t>(), nodes);
  const nlohmann::json& codes = info.at("initializers").at("by_dtype").at("uint8");
  EXPECT_EQ(codes.at("elements"), 8 * 4 * 9 + 8 * 4 * 9 + 3 * 8 + 8 + 8 + 3);
  EXPECT_EQ(codes.at("bytes"), codes.at("elements"));
  ASSERT_EQ(info.at("quantized_tensors").size(), 3u);
  for (const nlohmann::json& tensor : info.at("quantized_tensors")) {
    EXPECT_EQ(tensor.at("scheme"), "per-axis");
    EXPECT_EQ(tensor.at("axis"), 0);
    EXPECT_EQ(tensor.at("dtype"), "uint8");
  }
  EXPECT_EQ(info.at("metadata").at("source_checkpoint"), "student.pt");
  EXPECT_EQ(info.at("metadata").at("input_mean"), "0.485,0.456,0.406");
  EXPECT_NE(info.at("metadata").at("quantized_weights").get<std::string>().find("per-axis"), std::string::npos);
  EXPECT_EQ(info.at("check"), "passed");

  const std::string text = format_onnx_info(info);
  for (const char* part : {"opset:       ai.onnx 13", "input  float32 [1, 4, 12, 10]", "DequantizeLinear: 3",
                           "uint8: ", "Quantized tensors: 3", "source_checkpoint: student.pt", "check:       passed"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  }
}

TEST(OnnxInfo, ListsIntegerOpOperandsAndSymbolicBatch) {
  const std::filesystem::path file = scratch_folder("info_dynamic") / "model.onnx";
  OnnxExportOptions options;
  options.quant_format = "dynamic";
  options.dynamic_batch = true;
  write_onnx(quantized_graph(true, true), file, options);
  const nlohmann::json info = onnx_info(file);
  EXPECT_EQ(info.at("inputs")[0].at("shape")[0], "batch");
  EXPECT_EQ(info.at("ops").at("ConvInteger"), 2);
  EXPECT_EQ(info.at("ops").at("MatMulInteger"), 1);
  EXPECT_EQ(info.at("ops").count("DequantizeLinear"), 0u);
  int integer_weights = 0;
  for (const nlohmann::json& tensor : info.at("quantized_tensors")) {
    integer_weights += tensor.at("dtype") == "uint8";
  }
  EXPECT_EQ(integer_weights, 3);
  EXPECT_NE(format_onnx_info(info).find("[batch, 4, 12, 10]"), std::string::npos);
}

TEST(OnnxInfo, FailsWithThePathOnANonModel) {
  const std::filesystem::path file = scratch_folder("info_bad") / "bad.onnx";
  write_file_atomically(file, std::string("\x08\x07garbage"));
  try {
    onnx_info(file);
    FAIL() << "garbage accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("bad.onnx"), std::string::npos);
  }
}

// Fuzzing finding: dims whose product passes int64 overflowed the element count (UBSan).
TEST(OnnxInfo, FailsWithThePathWhenInitializerDimsOverflow) {
  const std::filesystem::path file = scratch_folder("info_dims") / "huge.onnx";
  write_onnx(quantized_graph(true, false), file, {});
  onnx::ModelProto model = load_onnx_model(file);
  onnx::TensorProto* huge = model.mutable_graph()->add_initializer();
  huge->set_name("huge");
  huge->set_data_type(onnx::TensorProto::FLOAT);
  for (std::int64_t extent : {std::int64_t{1} << 40, std::int64_t{1} << 40}) huge->add_dims(extent);
  write_file_atomically(file, serialize_onnx_model(model));
  try {
    onnx_info(file);
    FAIL() << "overflowing dims accepted";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind(file.string() + ": initializer 'huge'", 0), 0u) << message;
  }
}

}  // namespace
}  // namespace edgeport
