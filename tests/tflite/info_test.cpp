// `edgeport info` on .tflite files: JSON and text report of a written file.
#include <gtest/gtest.h>

#include "fixtures.h"
#include "models/architecture.h"
#include "quant/quantizer.h"
#include "support.h"
#include "tflite/info.h"
#include "tflite/writer.h"

namespace edgeport {
namespace {

using namespace tflite_test;

TEST(TfliteInfo, ReportsInterfaceOperatorsTensorsAndQuantization) {
  const FixtureModel model = tiny_ladeda_fixture("tiny_ladeda_right_diag");
  QuantConfig config;
  config.symmetric = true;
  TfliteExportOptions options;
  options.quantization = "dynamic";
  options.metadata["source_sha256"] = "0123abcd";
  const auto path = scratch_directory("info") / "tiny.tflite";
  write_tflite(quantize_graph(model.graph, config).graph, path, options);
  const nlohmann::json info = tflite_info(path);

  EXPECT_EQ(info["format"], "tflite");
  EXPECT_EQ(info["file_size_bytes"].get<std::uintmax_t>(), std::filesystem::file_size(path));
  EXPECT_NEAR(info["file_size_mb"].get<double>(), static_cast<double>(std::filesystem::file_size(path)) / 1e6, 1e-12);
  ASSERT_EQ(info["inputs"].size(), 1u);
  EXPECT_EQ(info["inputs"][0]["name"], "input");
  EXPECT_EQ(info["inputs"][0]["shape"], nlohmann::json({1, 3, 256, 256}));
  EXPECT_EQ(info["inputs"][0]["type"], "FLOAT32");
  EXPECT_TRUE(info["inputs"][0]["quantization"].is_null());
  EXPECT_EQ(info["outputs"][0]["name"], "output");
  EXPECT_EQ(info["outputs"][0]["shape"], nlohmann::json({1, 1, 126, 126}));

  std::map<std::string, int> counts;
  int total = 0;
  for (const auto& entry : info["operators"]) {
    counts[entry["op"].get<std::string>() + " v" + std::to_string(entry["version"].get<int>())] += entry["count"].get<int>();
    total += entry["count"].get<int>();
  }
  EXPECT_EQ(total, info["operator_count"].get<int>());
  // The frozen preprocessing filter stays float; the five learned convs are hybrid.
  EXPECT_EQ(counts["DEPTHWISE_CONV_2D v1"], 1);
  EXPECT_EQ(counts["CONV_2D v5"], 5);
  EXPECT_EQ(counts["TRANSPOSE v1"], 2);

  int int8_constants = 0;
  for (const auto& entry : info["tensors_by_type"]) {
    if (entry["type"] == "INT8") int8_constants = entry["constants"];
  }
  EXPECT_EQ(int8_constants, 5);
  EXPECT_EQ(info["quantized_tensors"].size(), 5u);
  for (const auto& tensor : info["quantized_tensors"]) {
    EXPECT_TRUE(tensor["constant"].get<bool>());
    EXPECT_TRUE(tensor["quantization"]["symmetric"].get<bool>());
  }
  EXPECT_EQ(info["metadata"]["source_sha256"], "0123abcd");
  EXPECT_EQ(info["metadata"]["architecture"], ArchSpec::parse(model.arch).to_string());
  EXPECT_EQ(info["metadata"]["tflite_form"], "dynamic-range int8 (hybrid ops)");
  EXPECT_EQ(info["metadata"]["tflite_quantization"], "dynamic");
  // The quantizer's own record of its configuration is kept.
  EXPECT_NE(info["metadata"]["quantization"].get<std::string>().find("symmetric"), std::string::npos);
  EXPECT_EQ(info["signatures"][0]["key"], "serving_default");

  const std::string text = format_tflite_info(info);
  for (const char* fragment : {"CONV_2D v5  x5", "input  FLOAT32 [1,3,256,256]", "output  FLOAT32 [1,1,126,126]",
                               "per-channel (dimension 0)", "zero point 0", "source_sha256: 0123abcd",
                               "signature serving_default: (input) -> (output)", " MB), "}) {
    EXPECT_NE(text.find(fragment), std::string::npos) << fragment << "\n" << text;
  }
}

}  // namespace
}  // namespace edgeport
