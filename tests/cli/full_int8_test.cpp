// The full-int8 flags of quantize and export, through the real binary.
#include <gtest/gtest.h>

#include <cstdint>

#include "cli_runner.h"
#include "core/npy.h"

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

// The verdict `run` prints for a photo: "fake probability P, fake (..." gives "fake".
std::string verdict(const std::string& output) {
  const std::size_t line = output.find("fake probability ");
  if (line == std::string::npos) return "";
  const std::size_t word = output.find(", ", line) + 2;
  return output.substr(word, output.find(' ', word) - word);
}

// Exports the sample with `flags`, checks that `info` calls the TFLite file
// fully integer and mentions `interface`, and that `run` on `photo` gives the
// float model's verdict.
void expect_fully_integer_with_the_float_verdict(const std::string& scratch, const std::string& flags,
                                                  const std::string& interface, const std::string& photo) {
  ScratchDir out(scratch);
  const CommandResult result = run_edgeport("export --quantization int8 " + flags +
                                            " --skip-onnx --min-sqnr 19 --quiet --output-dir '" + out.str() + "/deploy'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const std::string file = out.str() + "/deploy/student_model.tflite";
  const CommandResult info = run_edgeport("info '" + file + "'");
  EXPECT_NE(info.output.find("fully integer"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find(interface), std::string::npos) << info.output;
  EXPECT_EQ(info.output.find("not fully integer"), std::string::npos) << info.output;
  const CommandResult float_run = run_edgeport("run models/tiny_ladeda_sample.pt --input " + photo);
  const CommandResult int8_run = run_edgeport("run '" + file + "' --input " + photo);
  ASSERT_EQ(int8_run.exit_code, 0) << int8_run.output;
  ASSERT_FALSE(verdict(float_run.output).empty()) << float_run.output;
  EXPECT_EQ(verdict(int8_run.output), verdict(float_run.output)) << float_run.output << int8_run.output;
}

TEST(FullInt8Cli, ExportWritesAFullyIntegerTfliteThatRunsOnPhotos) {
  expect_fully_integer_with_the_float_verdict("full_int8_export_cli", "", "int8", "data/calibration/chelsea.png");
}

// Camera bytes in: the file with the normalisation folded in reads the photo
// as pixels 0..255 and reaches the float model's verdict.
TEST(FullInt8Cli, Uint8InterfaceWithFoldedNormalisationRunsOnPhotos) {
  expect_fully_integer_with_the_float_verdict("full_int8_uint8_cli", "--io-type uint8 --fold-normalization", "uint8",
                                              "data/calibration/coffee.png");
}

// `run --integer-arithmetic` picks how the int8 file computes. TFLite's
// single-rounding integer kernels give the float-requantizing codes; its
// default reference kernels round twice and move some codes, not the verdict.
TEST(FullInt8Cli, RunComputesInTheIntegerArithmeticAsked) {
  ScratchDir out("full_int8_arithmetic_cli");
  const CommandResult result = run_edgeport("export --quantization int8 --skip-onnx --min-sqnr 19 --quiet --output-dir '" +
                                            out.str() + "/deploy'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto run_in = [&](const std::string& arithmetic) {
    const std::string npy = out.str() + "/" + arithmetic + ".npy";
    const CommandResult run = run_edgeport("run '" + out.str() + "/deploy/student_model.tflite' --input "
                                           "data/calibration/chelsea.png --integer-arithmetic " + arithmetic +
                                           " --output '" + npy + "'");
    EXPECT_EQ(run.exit_code, 0) << run.output;
    return std::make_pair(verdict(run.output), read_npy(npy));
  };
  const auto [float_verdict, float_map] = run_in("float");
  const auto [reference_verdict, reference_map] = run_in("tflite-reference");
  const auto [single_verdict, single_map] = run_in("tflite-single-rounding");
  ASSERT_EQ(reference_map.numel(), float_map.numel());
  ASSERT_EQ(single_map.numel(), float_map.numel());
  std::int64_t reference_equal = 0;
  std::int64_t single_equal = 0;
  for (std::int64_t i = 0; i < float_map.numel(); ++i) {
    reference_equal += reference_map.data<float>()[i] == float_map.data<float>()[i];
    single_equal += single_map.data<float>()[i] == float_map.data<float>()[i];
  }
  EXPECT_GE(single_equal * 1000, float_map.numel() * 999);
  EXPECT_LT(reference_equal * 100, float_map.numel() * 99) << "double rounding moves some codes";
  EXPECT_FALSE(float_verdict.empty());
  EXPECT_EQ(reference_verdict, float_verdict);
  EXPECT_EQ(single_verdict, float_verdict);
  EXPECT_NE(run_edgeport("run '" + out.str() + "/deploy/student_model.tflite' --integer-arithmetic tflite").exit_code, 0);
}

TEST(FullInt8Cli, RefusesFlagsThatDoNotApply) {
  EXPECT_NE(run_edgeport("quantize models/tiny_ladeda_sample.pt --dry-run --calibration-method mse").exit_code, 0);
  EXPECT_NE(run_edgeport("quantize models/tiny_ladeda_sample.pt --dry-run --quantization int8 --calibration-method kl")
                .exit_code,
            0);
  EXPECT_NE(run_edgeport("export --calibration-method mse --output-dir /nonexistent/x").exit_code, 0);
  EXPECT_NE(run_edgeport("export --quantization dynamic --io-type uint8 --output-dir /nonexistent/x").exit_code, 0);
  EXPECT_NE(run_edgeport("export --quantization none --fold-normalization --output-dir /nonexistent/x").exit_code, 0);
}

}  // namespace
}  // namespace edgeport::testing
