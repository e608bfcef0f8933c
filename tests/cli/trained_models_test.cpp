// The trained models as the user runs them: the bundled sample (trained on
// real photos) and a checkpoint with the published BatchNorm statistics and
// logits of 1e3 to 1e5. `run` on a photo must give the probability of the
// user's PyTorch pipeline (tests/fixtures/models/trained.json, written by
// tools/train_sample.py with PIL and real PyTorch), and every quantization
// mode and TFLite layout must export, with ONNX Runtime and LiteRT agreeing
// with the float model relative to its output scale.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli_runner.h"
#include "core/npy.h"
#include "quant/compare.h"

namespace edgeport::testing {
namespace {

const std::string kPhotos = "/usr/lib/python3/dist-packages/skimage/data/";

// Each photo of trained.json through `edgeport run`, against PyTorch: the
// printed probability within 1e-4, the verdict, and the whole patch-logit map
// within the float tolerance of the output scale.
TEST(TrainedRun, ProbabilityAndMapAreThoseOfTheUsersPyTorchPipeline) {
  const std::filesystem::path folder = source_path("tests/fixtures/models");
  std::ifstream stream(folder / "trained.json");
  ASSERT_TRUE(stream) << "tests/fixtures/models/trained.json is missing";
  const nlohmann::json manifest = nlohmann::json::parse(stream);
  int fakes = 0;
  int reals = 0;
  for (const auto& checkpoint : manifest["checkpoints"]) {
    const std::filesystem::path model = folder / checkpoint["checkpoint"].get<std::string>();
    for (const auto& item : checkpoint["cases"]) {
      const std::filesystem::path photo = folder / item["photo"].get<std::string>();
      if (!std::filesystem::exists(photo)) GTEST_SKIP() << photo << " is missing (python3-skimage)";
      SCOPED_TRACE(model.filename().string() + " on " + photo.filename().string());
      ScratchDir out("trained-run");
      const CommandResult result = run_edgeport("run '" + model.string() + "' --input '" + photo.string() +
                                                "' --output '" + out.str() + "/map.npy'");
      ASSERT_EQ(result.exit_code, 0) << result.output;
      std::smatch match;
      ASSERT_TRUE(std::regex_search(result.output, match, std::regex(R"(fake probability ([0-9.]+), (fake|real))")))
          << result.output;
      const double expected = item["probability"].get<double>();
      EXPECT_NEAR(std::stod(match[1].str()), expected, 1e-4) << result.output;
      EXPECT_EQ(match[2].str(), expected > 0.5 ? "fake" : "real") << result.output;
      (item["label"] == "fake" ? fakes : reals) += 1;
      EXPECT_EQ(match[2].str(), item["label"].get<std::string>()) << "the trained detector's verdict";
      const ModelComparison map = compare_outputs(read_npy(folder / item["output"].get<std::string>()),
                                                  read_npy(out.path() / "map.npy"));
      EXPECT_TRUE(FloatTolerance{}.holds(map))
          << "max abs diff " << map.max_abs_diff << " on a map of scale " << map.reference_max_abs;
      std::printf("figure model=%s photo=%s probability=%s pytorch=%.6g map_relative_max_diff=%.3g\n",
                  model.filename().c_str(), photo.filename().c_str(), match[1].str().c_str(), expected,
                  map.relative_max_diff());
    }
  }
  EXPECT_GT(fakes, 0) << "no manipulated photo in trained.json";
  EXPECT_GT(reals, 0) << "no real photo in trained.json";
}

struct TrainedCase {
  std::string checkpoint;
  std::string quantization;
  std::string layout;
};

void PrintTo(const TrainedCase& c, std::ostream* out) {
  *out << c.checkpoint << " --quantization " << c.quantization << " --layout " << c.layout;
}

class TrainedExport : public ::testing::TestWithParam<TrainedCase> {};

TEST_P(TrainedExport, ExportsAndRealRuntimesAgree) {
  const TrainedCase& c = GetParam();
  if (!std::filesystem::exists(kPhotos + "camera.png")) GTEST_SKIP() << "python3-skimage's photos are missing";
  ScratchDir out("trained-export");
  const CommandResult result = run_edgeport(
      "export --quiet --verify-external --model '" + c.checkpoint + "' --quantization " + c.quantization +
      " --layout " + c.layout + " --calibration-count 3 --sample " + kPhotos + "camera.png --sample " + kPhotos +
      "motorcycle_left.png --output-dir '" + out.str() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::ifstream stream(out.path() / "export_summary.json");
  const nlohmann::json summary = nlohmann::json::parse(stream);
  EXPECT_TRUE(summary["passed"].get<bool>());
  for (const auto& artifact : summary["artifacts"]) {
    const std::string file = artifact["file"];
    const std::string judge = artifact["kind"] == "onnx" ? "onnxruntime" : "litert";
    ASSERT_TRUE(artifact["verification"].contains(judge)) << file;
    const auto& external = artifact["verification"][judge]["vs_float_model"];
    const auto& ours = artifact["verification"]["edgeport_runtime"];
    if (artifact["precision"] == "float32") {
      EXPECT_LE(external["relative_max_diff"].get<double>(), 1e-5) << file << " in " << judge;
      EXPECT_LE(ours["relative_max_diff"].get<double>(), 1e-5) << file << " in edgeport's runtime";
    } else {
      EXPECT_GE(external["sqnr_db"].get<double>(), 30.0) << file << " in " << judge;
      EXPECT_EQ(external["decisions"]["decisions_changed_at_0.5"], 0) << file << " in " << judge;
    }
    EXPECT_GT(external["reference_max_abs"].get<double>(), 0.0) << file;
  }
}

std::vector<TrainedCase> all_cases() {
  std::vector<TrainedCase> cases;
  for (const std::string checkpoint : {"models/tiny_ladeda_sample.pt", "tests/fixtures/models/tiny_ladeda_high_scale.pt"}) {
    for (const std::string quantization : {"none", "dynamic", "float16"}) {
      for (const std::string layout : {"nchw", "nhwc"}) cases.push_back({checkpoint, quantization, layout});
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Cli, TrainedExport, ::testing::ValuesIn(all_cases()));

}  // namespace
}  // namespace edgeport::testing
