// ONNX files written by torch.onnx.export, read into the IR and run by our
// runtime, against PyTorch's outputs.
#include <gtest/gtest.h>

#include <cstdio>

#include "onnx/onnx_import.h"
#include "quant/compare.h"
#include "onnx_test_support.h"
#include "model_fixtures.h"

namespace edgeport {
namespace {

using namespace onnx_test;

TEST(OnnxTorchImport, TorchExportsRunInOurRuntime) {
  const std::vector<TorchExport> exports = torch_exports();
  ASSERT_GE(exports.size(), 5u);
  for (const TorchExport& exported : exports) {
    const Graph graph = read_onnx(exported.model);
    ASSERT_EQ(graph.inputs.size(), 1u);
    EXPECT_EQ(graph.value(graph.inputs[0]).name, "input");
    EXPECT_EQ(graph.value(graph.outputs.at(0)).name, "output");
    for (const ModelCase& item : exported.cases) {
      const ModelComparison comparison = compare_outputs(item.torch_output, run_ours(graph, item.input));
      const double difference = comparison.relative_max_diff();
      EXPECT_TRUE(FloatTolerance{}.holds(comparison)) << exported.model << " on " << item.input_file << ": "
                                                      << difference << " of the output scale";
      std::printf("figure torch_export=%s input=%s relative_max_diff_vs_pytorch=%.3g\n", exported.model.filename().c_str(),
                  item.input_file.c_str(), difference);
    }
  }
}

}  // namespace
}  // namespace edgeport
