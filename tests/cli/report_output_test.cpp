#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "cli_runner.h"

namespace edgeport::testing {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream stream(path);
  return {std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
}

std::size_t line_count(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

// mobilenet_v2 has 53 quantized tensors: the terminal gets the short report,
// the file every tensor.
TEST(ReportOutput, QuantizePrintsTheShortReportAndWritesTheFullOne) {
  ScratchDir out("report-quantize");
  const std::filesystem::path report = out.path() / "report.txt";
  const SplitResult result = run_edgeport_split("quantize tests/generated/models/mobilenet_v2.pt --dry-run --report '" +
                                                report.string() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string full = read_text(report);
  EXPECT_LT(line_count(result.out), 30u) << result.out;
  EXPECT_GT(line_count(full), 400u);
  EXPECT_NE(result.out.find("lowest weight SQNR (5 of 53 tensors)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Per-layer error (5 of 53 layers, largest shares"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("wrote the full report to " + report.string()), std::string::npos) << result.out;
  // Per-tensor details are in the file only.
  EXPECT_EQ(result.out.find("zero points:"), std::string::npos);
  std::size_t tensors = 0;
  for (std::size_t at = full.find("  zero points:"); at != std::string::npos; at = full.find("  zero points:", at + 1)) {
    ++tensors;
  }
  EXPECT_EQ(tensors, 53u);
  EXPECT_EQ(result.err, "");
}

// Export prints its stages and the short report on stdout, says where the
// full one is, and writes nothing to a stderr that is not a terminal (no
// progress lines in logs).
TEST(ReportOutput, ExportSaysWhereTheFullReportIsAndKeepsLogsClean) {
  ScratchDir out("report-export");
  const std::filesystem::path target = out.path() / "deployment";
  const SplitResult result =
      run_edgeport_split("export --calibration-count 4 --skip-onnx --output-dir '" + target.string() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out.find('\r'), std::string::npos);
  EXPECT_NE(result.out.find("Quantization report (short)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("full report: " + (target / "quantization_report.txt").string()), std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("zero points:"), std::string::npos) << result.out;
  EXPECT_NE(read_text(target / "quantization_report.txt").find("zero points:"), std::string::npos);
}

}  // namespace
}  // namespace edgeport::testing
