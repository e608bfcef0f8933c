// The full-int8 flags of quantize and export, through the real binary.
#include <gtest/gtest.h>

#include "cli_runner.h"

namespace edgeport::testing {
namespace {

TEST(FullInt8Cli, QuantizeStaticWritesAContainerThatRuns) {
  ScratchDir out("full_int8_cli");
  const CommandResult result = run_edgeport("quantize models/tiny_ladeda_sample.pt --quantization static "
                                            "--calibration-method percentile --random 0 --output '" +
                                            out.str() + "/q.eqm'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("calibration percentile on 12 input sets"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("where the SQNR goes"), std::string::npos) << result.output;
  const CommandResult run = run_edgeport("run '" + out.str() + "/q.eqm'");
  EXPECT_EQ(run.exit_code, 0) << run.output;
}

TEST(FullInt8Cli, ExportWritesFullInt8Tflite) {
  ScratchDir out("full_int8_export_cli");
  const CommandResult result = run_edgeport("export --quantization int8 --skip-onnx --min-sqnr 19 --quiet "
                                            "--output-dir '" + out.str() + "/deploy'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(std::filesystem::exists(out.path() / "deploy" / "student_model.tflite"));
}

TEST(FullInt8Cli, RefusesFlagsThatDoNotApply) {
  EXPECT_NE(run_edgeport("quantize models/tiny_ladeda_sample.pt --dry-run --calibration-method mse").exit_code, 0);
  EXPECT_NE(run_edgeport("quantize models/tiny_ladeda_sample.pt --dry-run --quantization int8 --calibration-method kl")
                .exit_code,
            0);
  EXPECT_NE(run_edgeport("export --calibration-method mse --output-dir /nonexistent/x").exit_code, 0);
  EXPECT_NE(run_edgeport("export --quantization int8 --io-type uint8 --output-dir /nonexistent/x").exit_code, 0);
}

}  // namespace
}  // namespace edgeport::testing
