// What --help says about the models edgeport takes: export names every format
// it reads.
#include <gtest/gtest.h>

#include "cli_runner.h"

namespace edgeport::testing {
namespace {

TEST(Help, ExportSaysWhichModelFilesItTakes) {
  const CommandResult result = run_edgeport("export --help");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  for (const char* named : {".pt", ".onnx", "torch.onnx.export", ".tflite"}) {
    EXPECT_NE(result.output.find(named), std::string::npos) << named << " missing from:\n" << result.output;
  }
  const CommandResult top = run_edgeport("--help");
  EXPECT_NE(top.output.find("ONNX models to quantized ONNX and TFLite"), std::string::npos) << top.output;
}

}  // namespace
}  // namespace edgeport::testing
