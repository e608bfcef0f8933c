// Real models exported in float32, judged by ONNX Runtime against PyTorch.
// Prints one "figure" line per file and input (docs/onnx.md).
#include <gtest/gtest.h>

#include <cstdio>

#include "onnx/onnx_export.h"
#include "quant/compare.h"
#include "onnx_test_support.h"
#include "model_fixtures.h"

namespace edgeport {
namespace {

using namespace onnx_test;

void expect_export_matches_pytorch(const ModelFixture& fixture, int opset, const std::filesystem::path& folder) {
  const Graph graph = deployed_graph(fixture);
  OnnxExportOptions options;
  options.opset = opset;
  const std::filesystem::path file = folder / (fixture.checkpoint + ".opset" + std::to_string(opset) + ".onnx");
  write_onnx(graph, file, options);
  for (const ModelCase& item : fixture.cases) {
    const Tensor theirs = run_onnx_runtime(file, {item.input}).front();
    const ModelComparison comparison = compare_outputs(item.torch_output, theirs);
    const double difference = comparison.relative_max_diff();
    EXPECT_TRUE(FloatTolerance{}.holds(comparison)) << fixture.checkpoint << " on " << item.input_file << ": "
                                                    << difference << " of the output scale";
    std::printf("figure checkpoint=%s opset=%d format=float32 input=%s bytes=%ju relative_max_diff_vs_pytorch=%.3g\n",
                fixture.checkpoint.c_str(), opset, item.input_file.c_str(),
                static_cast<std::uintmax_t>(std::filesystem::file_size(file)), difference);
  }
}

TEST(OnnxModelExport, TinyLadedaVariantsMatchPyTorchInOnnxRuntime) {
  const std::vector<ModelFixture> fixtures = tiny_ladeda_fixtures();
  ASSERT_GE(fixtures.size(), 12u);
  const std::filesystem::path folder = scratch_folder("tiny_ladeda_float");
  for (const ModelFixture& fixture : fixtures) expect_export_matches_pytorch(fixture, 13, folder);
}

TEST(OnnxModelExport, TinyLadedaMatchesPyTorchAtTheOpsetBounds) {
  const std::filesystem::path folder = scratch_folder("tiny_ladeda_opsets");
  for (const ModelFixture& fixture : tiny_ladeda_fixtures()) {
    if (fixture.checkpoint != "tiny_ladeda_NPR.pt" && fixture.checkpoint != "tiny_ladeda_right_diag_pool.pt") continue;
    for (int opset : {kMinOnnxOpset, kMaxOnnxOpset}) expect_export_matches_pytorch(fixture, opset, folder);
  }
}

TEST(OnnxModelExport, TorchvisionModelsMatchPyTorchInOnnxRuntime) {
  const std::vector<ModelFixture> fixtures = generated_fixtures();
  ASSERT_EQ(fixtures.size(), 2u);
  const std::filesystem::path folder = scratch_folder("torchvision_float");
  for (const ModelFixture& fixture : fixtures) expect_export_matches_pytorch(fixture, 13, folder);
}

}  // namespace
}  // namespace edgeport
