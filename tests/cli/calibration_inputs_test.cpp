// Export and verify measure files on photos: the bundled calibration set by
// default, a user's directory (searched recursively) when given, and the
// summary names every input and the decision figures on it.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace edgeport::testing {
namespace {

const std::filesystem::path kPhotos = "/usr/lib/python3/dist-packages/skimage/data";

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream stream(path);
  return nlohmann::json::parse(stream);
}

std::vector<std::string> input_names(const nlohmann::json& summary) {
  std::vector<std::string> names;
  for (const auto& label : summary["verification_inputs"]) {
    names.push_back(std::filesystem::path(label.get<std::string>()).filename().string());
  }
  return names;
}

TEST(CalibrationInputs, ExportAndVerifyUseTheBundledPhotosByDefault) {
  ScratchDir out("export");
  const CommandResult result =
      run_edgeport("export --quiet --skip-tflite --calibration-count 3 --random 1 --output-dir '" + out.str() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const nlohmann::json summary = read_json(out.path() / "export_summary.json");
  // Three of the twelve, evenly spaced in sorted order, after the random seed.
  const std::vector<std::string> expected = {"random seed 0", "astronaut.png", "chelsea_blurred.png",
                                             "coffee_resampled.png"};
  EXPECT_EQ(input_names(summary), expected);
  EXPECT_TRUE(summary["calibration"]["bundled"].get<bool>());
  EXPECT_EQ(summary["calibration"]["images"], 3);
  EXPECT_TRUE(summary["configuration"]["require_same_decisions"].get<bool>());
  for (const auto& artifact : summary["artifacts"]) {
    const nlohmann::json& decisions = artifact["verification"]["edgeport_runtime"]["decisions"];
    ASSERT_EQ(decisions["kind"], "detector") << artifact["file"];
    EXPECT_EQ(decisions["per_input"].size(), 4u);
    EXPECT_EQ(decisions["decisions_changed_at_0.5"], 0) << artifact["file"];
  }
  EXPECT_NE(result.output.find("3 calibration images (bundled"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("chelsea_blurred.png"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("p max |delta|"), std::string::npos) << result.output;

  const CommandResult verify =
      run_edgeport("verify models/tiny_ladeda_sample.pt '" + out.str() + "/student_model.onnx' --random 0");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("rocket_resampled.png"), std::string::npos) << verify.output;
  EXPECT_NE(verify.output.find("decisions: p max |delta|"), std::string::npos) << verify.output;
  EXPECT_NE(verify.output.find("on 12/12"), std::string::npos) << verify.output;
}

TEST(CalibrationInputs, ExportReadsADirectoryOfHeldOutPhotosRecursively) {
  if (!std::filesystem::exists(kPhotos / "camera.png")) GTEST_SKIP() << "python3-skimage's photos are missing";
  ScratchDir photos("photos");
  std::filesystem::create_directories(photos.path() / "b" / "c");
  std::filesystem::copy_file(kPhotos / "camera.png", photos.path() / "camera.png");
  std::filesystem::copy_file(kPhotos / "brick.png", photos.path() / "b" / "brick.png");
  std::filesystem::copy_file(kPhotos / "motorcycle_left.png", photos.path() / "b" / "c" / "motorcycle_left.png");
  std::ofstream(photos.path() / "b" / "notes.txt") << "not an image";
  ScratchDir out("export");
  const CommandResult result = run_edgeport("export --quiet --skip-tflite --calibration-dir '" + photos.str() +
                                            "' --output-dir '" + out.str() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const nlohmann::json summary = read_json(out.path() / "export_summary.json");
  EXPECT_EQ(input_names(summary), (std::vector<std::string>{"brick.png", "motorcycle_left.png", "camera.png"}));
  EXPECT_FALSE(summary["calibration"]["bundled"].get<bool>());
}

TEST(CalibrationInputs, AProbabilityGateFailsNamingTheFileAndTheInput) {
  ScratchDir out("export");
  const CommandResult result = run_edgeport("export --quiet --skip-tflite --max-prob-delta 0 --output-dir '" +
                                            out.str() + "'");
  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("student_model.onnx in edgeport's runtime: "), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(".png: |delta p| "), std::string::npos) << result.output;
  EXPECT_FALSE(std::filesystem::exists(out.path() / "export_summary.json"));
}

}  // namespace
}  // namespace edgeport::testing
