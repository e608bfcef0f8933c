#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_runner.h"

namespace edgeport::testing {
namespace {

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream stream(path);
  return nlohmann::json::parse(stream);
}

std::set<std::string> listing(const std::filesystem::path& directory) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) names.insert(entry.path().filename());
  return names;
}

struct ModeCase {
  std::string flags;
  std::set<std::string> files;
  std::string quantized_form;  // substring of the quantized TFLite form, empty without one
};

// Names the case in test logs instead of dumping the struct's bytes.
void PrintTo(const ModeCase& mode, std::ostream* out) { *out << "'" << mode.flags << "'"; }

class ExportModes : public ::testing::TestWithParam<ModeCase> {};

// Each quantization mode writes its files, our runtime reads every one back,
// and ONNX Runtime and LiteRT run every one on the same inputs: six of the
// bundled photos, real and manipulated ones.
TEST_P(ExportModes, WritesEveryFileAndRealRuntimesAgree) {
  const ModeCase& mode = GetParam();
  ScratchDir out("export");
  const CommandResult result = run_edgeport("export --quiet --verify-external --calibration-count 6 --output-dir '" +
                                            out.str() + "' " + mode.flags);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(listing(out.path()), mode.files);

  const nlohmann::json summary = read_json(out.path() / "export_summary.json");
  EXPECT_TRUE(summary["passed"].get<bool>());
  EXPECT_EQ(summary["model"]["input"]["shape"], nlohmann::json::array({1, 3, 256, 256}));
  EXPECT_EQ(summary["model"]["output"]["shape"], nlohmann::json::array({1, 1, 126, 126}));
  ASSERT_EQ(summary["sizes"].size(), summary["artifacts"].size() + 1);
  EXPECT_EQ(summary["sizes"][0]["format"], "PyTorch (.pt)");
  for (const auto& artifact : summary["artifacts"]) {
    const std::string file = artifact["file"];
    EXPECT_EQ(artifact["bytes"].get<std::int64_t>(),
              static_cast<std::int64_t>(std::filesystem::file_size(out.path() / file)))
        << file;
    if (artifact["precision"] != "float32") {
      const std::filesystem::path twin =
          out.path() / (std::filesystem::path(file).stem().string() + "_fp32" + std::filesystem::path(file).extension().string());
      EXPECT_LT(std::filesystem::file_size(out.path() / file), std::filesystem::file_size(twin)) << file;
    }
    const std::string judge = artifact["kind"] == "onnx" ? "onnxruntime" : "litert";
    ASSERT_TRUE(artifact["verification"].contains(judge)) << file;
    const auto& external = artifact["verification"][judge]["vs_float_model"];
    const bool hybrid = artifact["form"].get<std::string>().find("hybrid") != std::string::npos ||
                        artifact["form"].get<std::string>().find("dynamic:") != std::string::npos;
    if (artifact["precision"] == "float32") {
      EXPECT_LE(external["relative_max_diff"].get<double>(), 1e-5) << file;
    } else {
      EXPECT_GE(external["sqnr_db"].get<double>(), summary["configuration"]["min_sqnr_db"].get<double>()) << file;
      EXPECT_EQ(external["decisions"]["decisions_changed_at_0.5"], 0) << file;
    }
    if (!hybrid) {
      // Without activation quantization both runtimes compute the same float
      // arithmetic on the same dequantized weights.
      EXPECT_LE(artifact["verification"][judge]["vs_edgeport_runtime"]["relative_max_diff"].get<double>(), 1e-5)
          << file;
    }
  }
  if (!mode.quantized_form.empty()) {
    EXPECT_NE(summary["tflite_form"]["written"].get<std::string>().find(mode.quantized_form), std::string::npos);
  }
}

const std::set<std::string> kQuantizedFiles = {"student_model.onnx",        "student_model_fp32.onnx",
                                               "student_model.tflite",      "student_model_fp32.tflite",
                                               "quantization_report.txt",   "quantization_report.json",
                                               "export_summary.json"};

INSTANTIATE_TEST_SUITE_P(
    Cli, ExportModes,
    ::testing::Values(
        ModeCase{"--quantization none", {"student_model.onnx", "student_model.tflite", "export_summary.json"}, ""},
        ModeCase{"", kQuantizedFiles, "weight-only"},
        // Activations quantized on the fly: 23 dB (ONNX) and 26 dB (TFLite)
        // SQNR on the bundled photos, every verdict kept; 30 dB held only on
        // random tensors.
        ModeCase{"--symmetric --onnx-quant-format dynamic --min-sqnr 20", kQuantizedFiles, "hybrid"},
        ModeCase{"--quantization float16",
                 {"student_model.onnx", "student_model_fp32.onnx", "student_model.tflite", "student_model_fp32.tflite",
                  "export_summary.json"},
                 ""}));

struct FailureCase {
  std::string label;
  std::string arguments;
  std::string message;  // part of the one-line error
};

void PrintTo(const FailureCase& failure, std::ostream* out) { *out << failure.label; }

class ExportFailures : public ::testing::TestWithParam<FailureCase> {};

// A failed run exits non-zero with one clear line and leaves the output
// directory exactly as it was, earlier outputs included.
TEST_P(ExportFailures, ExitNonZeroAndLeaveOutputDirUntouched) {
  const FailureCase& failure = GetParam();
  ScratchDir out("export-failure");
  ASSERT_EQ(run_edgeport("export --quiet --quantization none --skip-tflite --output-dir '" + out.str() + "'").exit_code,
            0);
  std::map<std::string, std::uintmax_t> before;
  for (const auto& name : listing(out.path())) before[name] = std::filesystem::file_size(out.path() / name);
  const auto summary_time = std::filesystem::last_write_time(out.path() / "export_summary.json");

  ScratchDir scratch("bad-input");
  {
    std::ofstream garbage(scratch.path() / "garbage.pt", std::ios::binary);
    for (int i = 0; i < 4096; ++i) garbage.put(static_cast<char>((i * 7919) % 251));
  }
  std::string arguments = failure.arguments;
  for (const auto& [token, value] : std::map<std::string, std::string>{{"{out}", out.str()}, {"{scratch}", scratch.str()}}) {
    for (std::size_t at; (at = arguments.find(token)) != std::string::npos;) arguments.replace(at, token.size(), value);
  }
  const CommandResult result = run_edgeport("export --quiet " + arguments);
  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("edgeport: error: "), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(failure.message), std::string::npos) << result.output;

  std::map<std::string, std::uintmax_t> after;
  for (const auto& name : listing(out.path())) after[name] = std::filesystem::file_size(out.path() / name);
  EXPECT_EQ(after, before);
  EXPECT_EQ(std::filesystem::last_write_time(out.path() / "export_summary.json"), summary_time);
}

// --force writes the hybrid TFLite file the floor refuses above, and the
// summary keeps the miss.
TEST(ExportForce, WritesAFragileFormBelowTheFloorAndRecordsTheMiss) {
  ScratchDir out("export-force");
  const CommandResult result = run_edgeport("export --quiet --symmetric --skip-onnx --min-sqnr 35 --calibration-count 4 "
                                            "--force --output-dir '" + out.str() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("warning: written with --force: student_model.tflite"), std::string::npos)
      << result.output;
  const nlohmann::json summary = read_json(out.path() / "export_summary.json");
  bool recorded = false;
  for (const auto& artifact : summary["artifacts"]) {
    if (artifact["file"] == "student_model.tflite") recorded = artifact.contains("written_with_force_despite");
  }
  EXPECT_TRUE(recorded) << summary.dump(2);
}

// --float-layers auto keeps the fewest layers in float that meet the floor
// and says which.
TEST(ExportFloatLayers, AutoMeetsTheFloorAndNamesTheLayers) {
  ScratchDir out("export-float-layers");
  const CommandResult result = run_edgeport("export --json --skip-tflite --float-layers auto --min-sqnr 50 "
                                            "--calibration-count 4 --output-dir '" + out.str() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const nlohmann::json summary = nlohmann::json::parse(result.output);
  const nlohmann::json& search = summary["configuration"]["quantization"]["float_layer_search"];
  EXPECT_TRUE(search["met"].get<bool>());
  EXPECT_TRUE(search["exhaustive"].get<bool>());
  EXPECT_FALSE(search["float_layers"].empty());
  EXPECT_GE(search["sqnr_db"].get<double>(), 50.0);
  EXPECT_EQ(summary["configuration"]["quantization"]["weights"]["float_layers"], search["float_layers"]);
}

INSTANTIATE_TEST_SUITE_P(
    Cli, ExportFailures,
    ::testing::Values(
        FailureCase{"MissingModel", "--model no/such/model.pt --output-dir '{out}'", "no such file"},
        FailureCase{"NotACheckpoint", "--model '{scratch}/garbage.pt' --output-dir '{out}'", "garbage.pt"},
        FailureCase{"WrongArchitecture", "--arch resnet18 --output-dir '{out}'", "missing"},
        FailureCase{"UnknownArchitecture", "--arch vgg16 --output-dir '{out}'", "vgg16"},
        FailureCase{"KeysOfNoArchitecture",
                    "--model tests/fixtures/pytorch/dtype_float32.pt --output-dir '{out}'",
                    "dtype_float32.pt: cannot tell the architecture from the checkpoint's keys; pass --arch (see "
                    "--help), or export the model to ONNX (torch.onnx.export) and pass the .onnx file\n"},
        FailureCase{"NothingToExport", "--skip-onnx --skip-tflite --output-dir '{out}'", "nothing to export"},
        FailureCase{"OpsetOutOfRange", "--opset 9 --output-dir '{out}'", "opset"},
        FailureCase{"BadQuantizationMode", "--quantization int4 --output-dir '{out}'", "--quantization"},
        FailureCase{"SqnrFloorNotMet", "--min-sqnr 200 --calibration-count 4 --output-dir '{out}'",
                    "verification failed"},
        FailureCase{"FragileFormBelowTheFloor",
                    "--symmetric --skip-onnx --min-sqnr 35 --calibration-count 4 --output-dir '{out}'",
                    "activations are quantized at run time; --force writes it anyway"},
        FailureCase{"UnknownFloatLayer", "--float-layers conv9 --calibration-count 4 --output-dir '{out}'",
                    "no Conv or Linear layer named 'conv9'"},
        FailureCase{"UnwritableOutputDir", "--output-dir '{out}/export_summary.json/sub'", "output directory"}),
    [](const ::testing::TestParamInfo<FailureCase>& info) { return info.param.label; });

}  // namespace
}  // namespace edgeport::testing
