#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace edgeport::testing {
namespace {

TEST(Verify, ExitCodeFollowsTheTolerance) {
  ScratchDir out("verify");
  ASSERT_EQ(run_edgeport("export --quiet --skip-tflite --output-dir '" + out.str() + "'").exit_code, 0);
  const std::string models = "models/tiny_ladeda_sample.pt '" + out.str() + "/student_model.onnx'";
  // The trained sample's logits reach about 280: the int8 file is judged
  // against that scale.
  const CommandResult loose = run_edgeport("verify " + models + " --relative-tolerance 0.05");
  EXPECT_EQ(loose.exit_code, 0) << loose.output;
  EXPECT_NE(loose.output.find("SQNR"), std::string::npos);
  EXPECT_NE(loose.output.find("cosine"), std::string::npos);
  const CommandResult strict = run_edgeport("verify " + models + " --tolerance 1e-9");
  EXPECT_NE(strict.exit_code, 0) << strict.output;
  EXPECT_NE(strict.output.find("exceeds the tolerance"), std::string::npos) << strict.output;
  const CommandResult strict_relative = run_edgeport("verify " + models + " --relative-tolerance 1e-4");
  EXPECT_NE(strict_relative.exit_code, 0) << strict_relative.output;
  EXPECT_NE(strict_relative.output.find("above the relative tolerance"), std::string::npos) << strict_relative.output;
  const CommandResult same = run_edgeport("verify models/tiny_ladeda_sample.pt '" + out.str() +
                                          "/student_model_fp32.onnx' --relative-tolerance 1e-5 --input "
                                          "/usr/lib/python3/dist-packages/skimage/data/astronaut.png");
  EXPECT_EQ(same.exit_code, 0) << same.output;
}

TEST(Info, EveryFormatDescribesItselfAsJson) {
  ScratchDir out("info");
  ASSERT_EQ(run_edgeport("export --quiet --output-dir '" + out.str() + "'").exit_code, 0);
  ASSERT_EQ(run_edgeport("quantize models/tiny_ladeda_sample.pt --output '" + out.str() + "/q.eqm'").exit_code, 0);
  const CommandResult checkpoint = run_edgeport("info models/tiny_ladeda_sample.pt --json");
  ASSERT_EQ(checkpoint.exit_code, 0) << checkpoint.output;
  const nlohmann::json pt = nlohmann::json::parse(checkpoint.output);
  EXPECT_EQ(pt["parameters"], 1297);
  EXPECT_EQ(pt["architecture"], "tiny_ladeda:pool=false,preprocess=right_diag");
  for (const std::string file : {"student_model.onnx", "student_model.tflite", "q.eqm"}) {
    const CommandResult result = run_edgeport("info '" + out.str() + "/" + file + "' --json");
    ASSERT_EQ(result.exit_code, 0) << file << ": " << result.output;
    const nlohmann::json info = nlohmann::json::parse(result.output);
    EXPECT_EQ(info["file_bytes"].get<std::uintmax_t>(), std::filesystem::file_size(out.path() / file)) << file;
    EXPECT_FALSE(info["sha256"].get<std::string>().empty());
  }
  const CommandResult text = run_edgeport("info '" + out.str() + "/student_model.tflite'");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.output.find("CONV_2D"), std::string::npos) << text.output;
}

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
