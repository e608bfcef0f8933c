#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace edgeport::testing {
namespace {

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

}  // namespace
}  // namespace edgeport::testing
