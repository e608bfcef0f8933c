// The readiness report for integer targets: our float and hybrid files are
// not fully integer and it names the operators and tensors that break it; a
// full-integer file built here is "fully integer" and ready for both targets.
#include <gtest/gtest.h>

#include "core/file_io.h"
#include "fixtures.h"
#include "integer_model.h"
#include "quant/quantizer.h"
#include "support.h"
#include "tflite/model_view.h"
#include "tflite/readiness.h"
#include "tflite/writer.h"

namespace edgeport {
namespace {

using namespace tflite_test;
using nlohmann::json;

json readiness_of(const std::vector<std::uint8_t>& bytes) {
  return tflite_readiness(TfliteModelView(bytes, "model.tflite"));
}

std::vector<json> problems_at(const json& readiness, const std::string& where_part) {
  std::vector<json> found;
  for (const json& problem : readiness.at("problems")) {
    if (problem.at("where").get<std::string>().find(where_part) != std::string::npos) found.push_back(problem);
  }
  return found;
}

bool breaks(const json& problem, const std::string& target) {
  for (const json& entry : problem.at("breaks")) {
    if (entry == target) return true;
  }
  return false;
}

// Every CONV_2D of the file computes in float: each is named, with its float
// input, as breaking "fully integer".
void expect_float_convolutions_named(const std::filesystem::path& path) {
  const json readiness = readiness_of(read_file_bytes(path));
  EXPECT_FALSE(readiness.at("fully_integer").get<bool>());
  EXPECT_FALSE(readiness.at("tflite_micro").get<bool>());
  EXPECT_FALSE(readiness.at("edge_tpu").get<bool>());
  EXPECT_FALSE(readiness.at("integer_inside_float_interface").get<bool>());
  const std::vector<json> convolutions = problems_at(readiness, "(CONV_2D)");
  ASSERT_EQ(static_cast<int>(convolutions.size()), count_operators(path, "CONV_2D")) << readiness.dump(1);
  for (const json& problem : convolutions) {
    EXPECT_TRUE(breaks(problem, "fully integer")) << problem.dump();
    EXPECT_NE(problem.at("problem").get<std::string>().find("input 0 '"), std::string::npos) << problem.dump();
    EXPECT_NE(problem.at("problem").get<std::string>().find("FLOAT32"), std::string::npos) << problem.dump();
  }
  const std::string text = format_tflite_readiness(readiness);
  EXPECT_NE(text.find("not fully integer"), std::string::npos) << text;
  EXPECT_NE(text.find("'input' FLOAT32 [1,3,256,256]"), std::string::npos) << text;
}

TEST(TfliteReadiness, FloatAndHybridFilesAreNotFullyInteger) {
  const auto directory = scratch_directory("readiness");
  const FixtureModel model = tiny_ladeda_fixture("tiny_ladeda_right_diag");
  const auto float_path = directory / "float.tflite";
  write_tflite(model.graph, float_path, {});
  expect_float_convolutions_named(float_path);

  QuantConfig symmetric;
  symmetric.symmetric = true;
  TfliteExportOptions options;
  options.quantization = "dynamic";
  const auto hybrid_path = directory / "hybrid.tflite";
  ASSERT_GT(write_tflite(quantize_graph(model.graph, symmetric).graph, hybrid_path, options).hybrid_ops, 0);
  expect_float_convolutions_named(hybrid_path);
  // The hybrid file's int8 weights are not what breaks it.
  for (const json& problem : readiness_of(read_file_bytes(hybrid_path)).at("problems")) {
    EXPECT_EQ(problem.at("problem").get<std::string>().find("INT8"), std::string::npos) << problem.dump();
  }
}

TEST(TfliteReadiness, FullIntegerFileIsReadyForBothTargets) {
  const json readiness = readiness_of(tiny_integer_model());
  EXPECT_TRUE(readiness.at("fully_integer").get<bool>()) << readiness.dump(1);
  EXPECT_FALSE(readiness.at("integer_inside_float_interface").get<bool>());
  EXPECT_TRUE(readiness.at("edge_tpu").get<bool>()) << readiness.dump(1);
  EXPECT_TRUE(readiness.at("tflite_micro").get<bool>()) << readiness.dump(1);
  EXPECT_TRUE(readiness.at("problems").empty()) << readiness.dump(1);
  EXPECT_EQ(format_tflite_readiness(readiness).rfind("readiness: fully integer;", 0), 0u);
}

// A DEQUANTIZE into a float model output is a float interface around integer
// ops: not fully integer, but TFLite Micro runs it; the Edge TPU does not
// list DEQUANTIZE.
TEST(TfliteReadiness, FloatOutputBehindDequantizeIsAFloatInterface) {
  const json readiness = readiness_of(tiny_integer_model(1, true));
  EXPECT_FALSE(readiness.at("fully_integer").get<bool>());
  EXPECT_TRUE(readiness.at("integer_inside_float_interface").get<bool>());
  EXPECT_TRUE(readiness.at("tflite_micro").get<bool>());
  EXPECT_FALSE(readiness.at("edge_tpu").get<bool>());
  const std::vector<json> dequantize = problems_at(readiness, "(DEQUANTIZE)");
  ASSERT_EQ(dequantize.size(), 2u) << readiness.dump(1);
  EXPECT_EQ(dequantize[0].at("problem").get<std::string>().rfind("float interface: output 0 'z_float' FLOAT32 [1,48]", 0),
            0u) << dequantize[0].dump();
  EXPECT_EQ(dequantize[0].at("breaks"), json::array({"fully integer"}));
  EXPECT_EQ(dequantize[1].at("breaks"), json::array({"Edge TPU"}));
  EXPECT_TRUE(problems_at(readiness, "(CONV_2D)").empty());
  EXPECT_NE(format_tflite_readiness(readiness).find("not fully integer (integer ops inside a float interface)"),
            std::string::npos);
}

TEST(TfliteReadiness, BatchAboveOneBreaksTheTargetsNotIntegerness) {
  const json readiness = readiness_of(tiny_integer_model(2));
  EXPECT_TRUE(readiness.at("fully_integer").get<bool>());
  EXPECT_FALSE(readiness.at("edge_tpu").get<bool>());
  EXPECT_FALSE(readiness.at("tflite_micro").get<bool>());
  const std::vector<json> input = problems_at(readiness, "tensor 0 'x'");
  ASSERT_EQ(input.size(), 1u) << readiness.dump(1);
  EXPECT_NE(input[0].at("problem").get<std::string>().find("batch 2"), std::string::npos);
}

}  // namespace
}  // namespace edgeport
