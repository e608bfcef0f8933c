// ONNX files written by torch.onnx.export, read into the IR and run by our
// runtime, against PyTorch's outputs.
#include <gtest/gtest.h>

#include <cstdio>

#include "onnx/onnx_import.h"
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
      const double difference = max_abs_diff(item.torch_output, run_ours(graph, item.input));
      EXPECT_LE(difference, 1e-4) << exported.model << " on " << item.input_file;
      std::printf("figure torch_export=%s input=%s max_abs_vs_pytorch=%.3g\n", exported.model.filename().c_str(),
                  item.input_file.c_str(), difference);
    }
  }
}

}  // namespace
}  // namespace edgeport
