#include <gtest/gtest.h>

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

}  // namespace
}  // namespace edgeport::testing
