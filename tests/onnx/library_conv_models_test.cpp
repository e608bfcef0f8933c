#include <gtest/gtest.h>

#include <cstdio>

#include "model_fixtures.h"
#include "onnx/onnx_import.h"
#include "quant/compare.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

using namespace onnx_test;

// The prepared kernels (oneDNN convolutions among them) against the reference
// kernels on whole torchvision models, at one and two threads.
TEST(LibraryConvModels, MatchTheReferenceKernels) {
  int checked = 0;
  for (const TorchExport& exported : torch_exports()) {
    const std::string name = exported.model.filename().string();
    if (name != "resnet18.onnx" && name != "mobilenet_v2.onnx") continue;
    const Graph graph = read_onnx(exported.model);
    const ModelCase& item = exported.cases.front();
    const Tensor reference = Session(graph, RunOptions{.reference = true}).run({item.input}).front();
    for (int threads : {1, 2}) {
      const Tensor prepared = Session(graph, RunOptions{.threads = threads}).run({item.input}).front();
      const ModelComparison comparison = compare_outputs(reference, prepared);
      EXPECT_TRUE(FloatTolerance{}.holds(comparison))
          << name << " with " << threads << " thread(s): " << comparison.relative_max_diff() << " of the output scale";
      std::printf("figure model=%s threads=%d relative_max_diff_vs_reference_kernels=%.3g\n", name.c_str(), threads,
                  comparison.relative_max_diff());
    }
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

}  // namespace
}  // namespace edgeport
