#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace edgeport::testing {
namespace {

const std::string kSample = "models/tiny_ladeda_sample.pt";

// Exports the sample once per test process; the tests below only read the files.
const ScratchDir& exported() {
  static const ScratchDir directory("bench");
  static const CommandResult result = run_edgeport("export --quiet --output-dir '" + directory.str() + "'");
  if (result.exit_code != 0) throw std::runtime_error("export failed: " + result.output);
  return directory;
}

// Commands run from the source directory, so relative model paths start there.
std::filesystem::path model_file(const nlohmann::json& row) {
  const std::filesystem::path model = row["model"].get<std::string>();
  return model.is_absolute() ? model : source_path(model.string());
}

nlohmann::json bench_json(const std::string& arguments) {
  const CommandResult result = run_edgeport("bench --json --runs 3 --warmup 1 " + arguments);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  nlohmann::json parsed = nlohmann::json::parse(result.output, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << result.output;
  return parsed;
}

void expect_consistent_figures(const nlohmann::json& row) {
  SCOPED_TRACE(row.dump());
  EXPECT_EQ(row["runs"], 3);
  const auto& latency = row["latency_ms"];
  EXPECT_GT(latency["p50"].get<double>(), 0.0);
  EXPECT_LE(latency["p50"].get<double>(), latency["p90"].get<double>());
  EXPECT_LE(latency["p90"].get<double>(), latency["p99"].get<double>());
  EXPECT_NEAR(row["throughput_per_s"].get<double>(), 1000.0 / latency["mean"].get<double>(), 1e-6);
  EXPECT_GT(row["load_ms"].get<double>(), 0.0);
  EXPECT_GT(row["peak_rss_kib"].get<double>(), 0.0);
  EXPECT_EQ(row["file_bytes"].get<std::uintmax_t>(), std::filesystem::file_size(model_file(row)));
}

// With --external, each .onnx file gets an ONNX Runtime row and each .tflite
// file a LiteRT row after edgeport's own; a checkpoint gets a note instead.
TEST(Bench, ExternalAddsTheRealRuntimesRows) {
  const std::string onnx = exported().str() + "/student_model.onnx";
  const std::string tflite = exported().str() + "/student_model.tflite";
  const nlohmann::json results = bench_json("--external " + kSample + " '" + onnx + "' '" + tflite + "'");
  const auto& rows = results["results"];
  ASSERT_EQ(rows.size(), 5u) << results.dump(2);
  const std::vector<std::pair<std::string, std::string>> expected{
      {kSample, "edgeport"}, {onnx, "edgeport"}, {onnx, "ONNX Runtime"}, {tflite, "edgeport"}, {tflite, "LiteRT"}};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i]["model"], expected[i].first);
    EXPECT_EQ(rows[i]["runtime"], expected[i].second);
    EXPECT_FALSE(rows[i]["runtime_version"].get<std::string>().empty());
    expect_consistent_figures(rows[i]);
  }
  EXPECT_EQ(rows[2]["input_shape"], rows[1]["input_shape"]);
  EXPECT_GT(rows[2]["peak_rss_kib"].get<double>(), rows[2]["node_baseline_rss_kib"].get<double>());
  EXPECT_EQ(rows[4]["threads"], 1);
  ASSERT_EQ(results["notes"].size(), 1u);
  EXPECT_NE(results["notes"][0].get<std::string>().find("no external runtime reads pytorch files"), std::string::npos);
}

TEST(Bench, WithoutExternalOnlyEdgeportRowsAndMachineLabel) {
  const nlohmann::json results = bench_json(kSample + " '" + exported().str() + "/student_model_fp32.tflite'");
  ASSERT_EQ(results["results"].size(), 2u);
  for (const auto& row : results["results"]) {
    EXPECT_EQ(row["runtime"], "edgeport");
    expect_consistent_figures(row);
  }
  EXPECT_TRUE(results["notes"].empty());
  EXPECT_FALSE(results["machine"]["cpu"].get<std::string>().empty());
  EXPECT_GE(results["machine"]["cores"].get<int>(), 1);
  const std::string vectors = results["machine"]["vectors"].get<std::string>();
  EXPECT_TRUE(vectors == "AVX-512" || vectors == "AVX2+FMA" || vectors == "portable") << vectors;
}

TEST(Bench, MarkdownHasTheRuntimeColumnAndTheNodeMemoryNote) {
  const CommandResult result = run_edgeport("bench --markdown --external --runs 2 --warmup 0 '" + exported().str() +
                                            "/student_model.onnx'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("| Model | Runtime |"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("| student_model.onnx | ONNX Runtime "), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("includes Node.js itself"), std::string::npos) << result.output;
}

// A runtime that is not installed is a note, not a failure: the other rows stand.
TEST(Bench, MissingRuntimeIsANote) {
  ScratchDir oracles("bench-oracles");
  std::ofstream(oracles.path() / "ort_run.js") << "";
  ::setenv("EDGEPORT_ORACLES", oracles.str().c_str(), 1);
  const nlohmann::json results = bench_json("--external '" + exported().str() + "/student_model.onnx'");
  ::unsetenv("EDGEPORT_ORACLES");
  ASSERT_EQ(results["results"].size(), 1u);
  ASSERT_EQ(results["notes"].size(), 1u);
  EXPECT_NE(results["notes"][0].get<std::string>().find("ONNX Runtime is not installed"), std::string::npos);
}

TEST(Bench, BadInputIsOneLineAndNonZero) {
  const CommandResult missing = run_edgeport("bench models/no_such_model.onnx");
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.output.find("no_such_model.onnx"), std::string::npos) << missing.output;
  EXPECT_EQ(std::count(missing.output.begin(), missing.output.end(), '\n'), 1) << missing.output;
  const CommandResult zero_runs = run_edgeport("bench --runs 0 " + kSample);
  EXPECT_NE(zero_runs.exit_code, 0);
  EXPECT_NE(zero_runs.output.find("--runs"), std::string::npos) << zero_runs.output;
}

}  // namespace
}  // namespace edgeport::testing
