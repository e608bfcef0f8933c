#include <gtest/gtest.h>

#include "../pytorch/checkpoint_builder.h"
#include "cli_runner.h"
#include "hostile_files.h"
#include "hostile_runner.h"

// What a user sees when a flag or a file is wrong: one line naming the
// problem, never a library's exception text or a screenful.
namespace edgeport::testing {
namespace {

constexpr const char* kSample = "models/tiny_ladeda_sample.pt";

TEST(HostileMessages, CommandLineMistakesAreOneLineAndExitOne) {
  for (const std::vector<std::string>& arguments : std::vector<std::vector<std::string>>{
           {"run", "--model", kSample},
           {"run"},
           {"export", "--opset", "thirteen"},
           {"bench", kSample, "--runs", "99999999999999999999999"},
           {"frobnicate"},
       }) {
    const HostileOutcome outcome = expect_refusal(arguments);
    EXPECT_EQ(outcome.output.find("Run with --help"), std::string::npos) << outcome.output;
  }
}

TEST(HostileMessages, NumericFlagsOutsideTheirRangeAreRefused) {
  for (const std::vector<std::string>& arguments : std::vector<std::vector<std::string>>{
           {"verify", kSample, kSample, "--tolerance", "nan"},
           {"verify", kSample, kSample, "--tolerance", "-1"},
           {"verify", kSample, kSample, "--relative-tolerance", "inf"},
           {"verify", kSample, kSample, "--min-sqnr", "nan"},
           {"verify", kSample, kSample, "--threshold", "2"},
           {"verify", kSample, kSample, "--max-prob-delta", "-0.1"},
           {"export", "--min-sqnr", "nan"},
           {"export", "--min-top1-agreement", "1.5"},
           {"export", "--calibration-count", "0"},
           {"quantize", kSample, "--dry-run", "--clip-percentile", "0"},
           {"quantize", kSample, "--dry-run", "--min-elements", "-3"},
           {"bench", kSample, "--runs", "0"},
           {"bench", kSample, "--threads", "-2"},
           {"run", kSample, "--max-image-pixels", "0"},
       }) {
    expect_refusal(arguments);
  }
}

TEST(HostileMessages, AWholeModuleCheckpointSaysToSaveTheStateDict) {
  ScratchDir scratch("module");
  const std::filesystem::path checkpoint = scratch.path() / "module.pt";
  const Bytes pickle = Bytes{0x80, 2} + global_op("__main__", "TinyLaDeDa") + raw(")") + Bytes{0x81} + raw(".");
  write_bytes(checkpoint, make_zip({{"archive/data.pkl", pickle}}));
  const HostileOutcome outcome = expect_refusal({"info", checkpoint.string()});
  EXPECT_NE(outcome.output.find("state_dict()"), std::string::npos) << outcome.output;
}

TEST(HostileMessages, LongPathsAndKeyListsStayOneShortLine) {
  const std::string long_name = "models/" + std::string(3000, 'x') + ".onnx";
  expect_refusal({"info", long_name});

  // resnet18's 122 keys against the sample's: the counts lead the line.
  const HostileOutcome mismatch = expect_refusal({"run", kSample, "--arch", "resnet18"});
  EXPECT_NE(mismatch.output.find("keys missing"), std::string::npos) << mismatch.output;
  const HostileOutcome verbose = run_edgeport_args({"run", kSample, "--arch", "resnet18", "--verbose"});
  EXPECT_EQ(verbose.exit_code, 1);
  EXPECT_GT(verbose.output.size(), 300u) << "--verbose prints the whole list";
}

TEST(HostileMessages, VerifyWithoutABoundJudgesByTheDefaultSqnrAndSaysSo) {
  const HostileOutcome different =
      run_edgeport_args({"verify", kSample, "tests/fixtures/models/tiny_ladeda_high_scale.pt", "--random", "1"});
  EXPECT_EQ(different.exit_code, 1) << different.output;
  EXPECT_NE(different.output.find("verdict: FAIL"), std::string::npos) << different.output;
  EXPECT_NE(different.output.find("the default when none of"), std::string::npos) << different.output;

  const HostileOutcome same = run_edgeport_args({"verify", kSample, kSample, "--random", "1"});
  EXPECT_EQ(same.exit_code, 0) << same.output;
  EXPECT_NE(same.output.find("verdict: pass"), std::string::npos) << same.output;
  EXPECT_NE(same.output.find("bound: SQNR >= 30 dB"), std::string::npos) << same.output;
}

}  // namespace
}  // namespace edgeport::testing
