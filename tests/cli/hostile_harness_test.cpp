#include <gtest/gtest.h>

#include "cli_runner.h"
#include "hostile_runner.h"

namespace edgeport::testing {
namespace {

// The harness itself must be able to fail: a run that succeeds, prints two
// lines or changes a watched folder is caught.
TEST(HostileHarness, SeesSuccessSignalsAndFolderChanges) {
  const HostileOutcome help = run_edgeport_args({"--version"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.signal, 0);
  EXPECT_GT(help.peak_rss_mib, 0);

  ScratchDir folder("hostile-harness");
  const FolderSnapshot before = snapshot_folder(folder.path());
  const HostileOutcome quantized =
      run_edgeport_args({"quantize", "models/tiny_ladeda_sample.pt", "-o", folder.str() + "/sample.eqm"});
  EXPECT_EQ(quantized.exit_code, 0) << quantized.output;
  EXPECT_FALSE(snapshot_folder(folder.path()) == before);
}

TEST(HostileHarness, MissingModelIsOneLine) {
  expect_refusal({"info", "no/such/model.onnx"});
}

}  // namespace
}  // namespace edgeport::testing
