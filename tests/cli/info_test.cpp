#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <onnx/onnx_pb.h>

#include "cli_runner.h"
#include "core/file_io.h"
#include "onnx/onnx_model_io.h"

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
  EXPECT_EQ(pt["architecture_name"], "tiny_ladeda");
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

// The keys name the architecture; a preprocessing filter or pooling leaves no
// trace in them, so its value is a default, not something read off the file,
// while a classifier's class count is read off the weights' shapes.
// The sample's float NHWC file at 256x256: conv2 reads conv1's output
// (1x256x256x8 float32, 2,097,152 bytes) while it writes its own
// (1x254x254x8, 2,064,512 bytes); no other step holds more. Both sizes are
// multiples of 16, so the arena is their sum, and it is over 1 MB.
TEST(Info, TfliteArenaAndReadinessOfTheSample) {
  ScratchDir out("info-arena");
  ASSERT_EQ(run_edgeport("export --quiet --skip-onnx --quantization none --layout nhwc --calibration-count 1 "
                         "--output-dir '" + out.str() + "'").exit_code, 0);
  const std::string file = out.str() + "/student_model.tflite";
  const CommandResult json_result = run_edgeport("info '" + file + "' --json");
  ASSERT_EQ(json_result.exit_code, 0) << json_result.output;
  const nlohmann::json info = nlohmann::json::parse(json_result.output);
  EXPECT_EQ(info["arena"]["bytes"], 4 * (256 * 256 * 8 + 254 * 254 * 8));
  EXPECT_EQ(info["arena"]["fits_sram"], false);
  EXPECT_EQ(info["readiness"]["fully_integer"], false);
  const CommandResult text = run_edgeport("info '" + file + "'");
  EXPECT_NE(text.output.find("activation arena: 4,161,664 bytes"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("does not fit 1 MB of SRAM"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("readiness: not fully integer; Edge TPU not ready, TFLite Micro not ready"),
            std::string::npos) << text.output;
  EXPECT_NE(text.output.find("operator 1 (CONV_2D): not integer-only: input 0 'preprocess' FLOAT32 [1,256,256,3]"),
            std::string::npos) << text.output;
}

TEST(Info, SaysWhichArchitectureOptionsAreDefaultsAndWhichAreInferred) {
  const CommandResult text = run_edgeport("info models/tiny_ladeda_sample.pt");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("architecture: tiny_ladeda (inferred from the keys)\n"
                             "  pool=false, preprocess=right_diag: default, not stored in the checkpoint\n"),
            std::string::npos)
      << text.output;
  EXPECT_EQ(text.output.find("preprocess=right_diag (inferred"), std::string::npos) << text.output;
  const nlohmann::json sample = nlohmann::json::parse(run_edgeport("info models/tiny_ladeda_sample.pt --json").output);
  for (const auto& option : sample["architecture_options"]) EXPECT_EQ(option["source"], "default") << option;
  EXPECT_EQ(sample["architecture_options"].size(), 2u);

  const std::filesystem::path resnet18 = source_path("tests/generated/models/resnet18.pt");
  ASSERT_TRUE(std::filesystem::exists(resnet18)) << "run /usr/bin/python3 tools/make_fixtures.py --large";
  const CommandResult classifier = run_edgeport("info '" + resnet18.string() + "'");
  ASSERT_EQ(classifier.exit_code, 0) << classifier.output;
  EXPECT_NE(classifier.output.find("architecture: resnet18 (inferred from the keys)\n"
                                   "  num_classes=10: inferred from the weights' shapes\n"),
            std::string::npos)
      << classifier.output;
  EXPECT_EQ(classifier.output.find("default"), std::string::npos) << classifier.output;
}

// Keys that fit no architecture: --arch, or the ONNX route.
TEST(Info, AnUnknownArchitectureNamesBothWaysOut) {
  const CommandResult text = run_edgeport("info tests/fixtures/pytorch/dtype_float32.pt");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("architecture: not inferable from the keys; pass --arch, or export the model to ONNX "
                             "(torch.onnx.export) and pass the .onnx file\n"),
            std::string::npos)
      << text.output;
}

// Fuzzing finding: a name or metadata text that is not UTF-8 (here Latin-1
// metadata in an ONNX file; a checkpoint's tensor names the same) made --json
// fail with nlohmann's type_error, a message that names no file.
TEST(Info, JsonReplacesTextThatIsNotUtf8) {
  ScratchDir out("info-utf8");
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(13);
  onnx::StringStringEntryProto* note = model.add_metadata_props();
  note->set_key("note");
  note->set_value("caf\xe9");
  onnx::GraphProto* graph = model.mutable_graph();
  graph->set_name("identity");
  const auto declare = [](onnx::ValueInfoProto* value, const char* name) {
    value->set_name(name);
    value->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    value->mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(1);
  };
  declare(graph->add_input(), "x");
  declare(graph->add_output(), "y");
  onnx::NodeProto* node = graph->add_node();
  node->set_op_type("Identity");
  node->add_input("x");
  node->add_output("y");
  write_file_atomically(out.path() / "latin1.onnx", serialize_onnx_model(model));

  const CommandResult result = run_edgeport("info '" + out.str() + "/latin1.onnx' --json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const nlohmann::json info = nlohmann::json::parse(result.output);
  EXPECT_EQ(info["metadata"]["note"], "caf\xef\xbf\xbd");
}

}  // namespace
}  // namespace edgeport::testing
