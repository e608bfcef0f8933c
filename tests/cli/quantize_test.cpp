#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "cli_runner.h"

namespace edgeport::testing {
namespace {

TEST(Quantize, WritesContainerAndReportsThatRunRuns) {
  ScratchDir out("quantize");
  const CommandResult result =
      run_edgeport("quantize models/tiny_ladeda_sample.pt --output '" + out.str() + "/q.eqm' --report '" + out.str() +
                   "/r.txt' --report-json '" + out.str() + "/r.json' --input tests/fixtures/models/astronaut_256.npy");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(std::filesystem::exists(out.path() / "r.txt"));
  const CommandResult run = run_edgeport("run '" + out.str() + "/q.eqm'");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("[1,1,126,126]"), std::string::npos) << run.output;
  const CommandResult bad = run_edgeport("quantize models/tiny_ladeda_sample.pt --dry-run --bits 9");
  EXPECT_NE(bad.exit_code, 0);
}

TEST(Quantize, CalibrationDirFeedsTheStatisticsAndTheFigures) {
  ScratchDir calibration("calibration");
  std::filesystem::copy_file(source_path("tests/fixtures/jpeg/chelsea_444_160x120.jpg"), calibration.path() / "chelsea.jpg");
  const std::filesystem::path report = calibration.path() / "report.txt";
  const CommandResult result = run_edgeport("quantize models/tiny_ladeda_sample.pt --dry-run --random 0 "
                                            "--rounding adaptive --bias-correction --calibration-dir '" +
                                            calibration.str() + "' --report '" + report.string() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("adaptive rounding, bias correction"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("wrote the full report to " + report.string()), std::string::npos) << result.output;
  std::ifstream stream(report);
  const std::string full((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  EXPECT_NE(full.find("rounding: adaptive ("), std::string::npos) << full;
  EXPECT_NE(full.find("bias correction: largest change"), std::string::npos) << full;
  EXPECT_NE(full.find("chelsea.jpg: max abs diff"), std::string::npos) << full;

  ScratchDir empty("empty");
  const CommandResult none =
      run_edgeport("quantize models/tiny_ladeda_sample.pt --dry-run --calibration-dir '" + empty.str() + "'");
  EXPECT_NE(none.exit_code, 0);
  EXPECT_NE(none.output.find("--calibration-dir"), std::string::npos) << none.output;
  const CommandResult bad = run_edgeport("quantize models/tiny_ladeda_sample.pt --dry-run --rounding up");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("unknown rounding 'up'"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace edgeport::testing
