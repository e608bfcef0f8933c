#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace edgeport::testing {
namespace {

struct JsonFailure {
  nlohmann::json summary;
  std::string error;  // the message of stderr's one line
};

// Runs a failing export --json: it must exit 1, print one parsable JSON
// document on stdout and one error line on stderr, and carry that line's
// message in the JSON.
JsonFailure failing_export(const std::string& arguments) {
  const SplitResult result = run_edgeport_split("export --json " + arguments);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const std::string prefix = "edgeport: error: ";
  EXPECT_EQ(result.err.rfind(prefix, 0), 0u) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  JsonFailure failure;
  failure.error = result.err.substr(prefix.size(), result.err.size() - prefix.size() - 1);
  failure.summary = nlohmann::json::parse(result.out);
  EXPECT_EQ(failure.summary["passed"], false);
  EXPECT_EQ(failure.summary["error"], failure.error);
  return failure;
}

// A missed SQNR floor: the JSON says which stage, and holds every figure of a
// successful summary (so CI can print the file and its SQNR), while nothing
// is written to the output directory.
TEST(ExportJson, AFailedVerificationPrintsTheFiguresAndTheError) {
  ScratchDir out("export-json-fail");
  const std::filesystem::path target = out.path() / "deployment";
  const JsonFailure failure =
      failing_export("--skip-onnx --min-sqnr 60 --calibration-count 4 --output-dir '" + target.string() + "'");
  EXPECT_NE(failure.error.find("verification failed, nothing written to"), std::string::npos) << failure.error;
  EXPECT_EQ(failure.summary["failed_stage"].get<std::string>().rfind("verify every file", 0), 0u);
  const nlohmann::json& artifacts = failure.summary["artifacts"];
  ASSERT_EQ(artifacts.size(), 2u) << failure.summary.dump(2);
  for (const auto& artifact : artifacts) {
    const double sqnr = artifact["verification"]["edgeport_runtime"]["sqnr_db"].is_null()
                            ? 1e9
                            : artifact["verification"]["edgeport_runtime"]["sqnr_db"].get<double>();
    if (artifact["precision"] == "int8") {
      EXPECT_LT(sqnr, 60.0);
      EXPECT_NE(failure.error.find(artifact["file"].get<std::string>() + " in edgeport's runtime: SQNR"),
                std::string::npos);
    }
  }
  EXPECT_EQ(failure.summary["stages"].size(), 4u);  // load, quantize, TFLite, verify
  EXPECT_TRUE(!std::filesystem::exists(target) || std::filesystem::is_empty(target));
}

// Failures before and between stages name the stage reached and the stages
// that ended.
TEST(ExportJson, EarlyFailuresNameTheStageReached) {
  ScratchDir out("export-json-early");
  const std::string output = " --output-dir '" + out.str() + "/deployment'";
  const JsonFailure bad_opset = failing_export("--opset 9" + output);
  EXPECT_EQ(bad_opset.summary["failed_stage"], "start");
  EXPECT_TRUE(bad_opset.summary["stages"].empty());

  const JsonFailure missing = failing_export("--model no/such/model.pt" + output);
  EXPECT_EQ(missing.summary["failed_stage"], "load no/such/model.pt");
  EXPECT_EQ(missing.summary["model"]["path"], "no/such/model.pt");
  EXPECT_NE(missing.error.find("no/such/model.pt"), std::string::npos) << missing.error;

  const JsonFailure unknown_layer = failing_export("--float-layers conv9 --calibration-count 2" + output);
  EXPECT_EQ(unknown_layer.summary["failed_stage"].get<std::string>().rfind("quantize weights", 0), 0u)
      << unknown_layer.summary.dump(2);
  ASSERT_EQ(unknown_layer.summary["stages"].size(), 1u);
  EXPECT_EQ(unknown_layer.summary["stages"][0]["stage"].get<std::string>().rfind("load ", 0), 0u);
  const std::filesystem::path target = out.path() / "deployment";
  EXPECT_TRUE(!std::filesystem::exists(target) || std::filesystem::is_empty(target));
}

}  // namespace
}  // namespace edgeport::testing
