#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "cli_runner.h"
#include "core/npy.h"
#include "pipeline/image.h"

namespace edgeport::testing {
namespace {

const std::string kAstronaut = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";
const std::string kCoffee = "/usr/lib/python3/dist-packages/skimage/data/coffee.png";

double fake_probability(const std::string& output) {
  std::smatch match;
  if (!std::regex_search(output, match, std::regex(R"(fake probability ([0-9.]+))"))) return -1;
  return std::stod(match[1]);
}

// The same photo through the checkpoint, the ONNX file and the TFLite file
// gives the same verdict, and the heatmap is a real PNG of the right size.
TEST(Run, ImageVerdictAgreesAcrossFormatsAndWritesHeatmap) {
  ScratchDir out("run");
  ASSERT_EQ(run_edgeport("export --quiet --quantization none --output-dir '" + out.str() + "'").exit_code, 0);
  std::vector<double> verdicts;
  for (const std::string& model : {std::string("models/tiny_ladeda_sample.pt"), out.str() + "/student_model.onnx",
                                  out.str() + "/student_model.tflite"}) {
    const std::filesystem::path heatmap = out.path() / (std::filesystem::path(model).filename().string() + ".png");
    const CommandResult result =
        run_edgeport("run '" + model + "' --input " + kAstronaut + " --heatmap '" + heatmap.string() + "'");
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("patches above 0.5"), std::string::npos) << result.output;
    verdicts.push_back(fake_probability(result.output));
    // Over the 512x512 photo itself, the colour scale to the right, the caption below.
    const Image image = load_image(heatmap);
    EXPECT_GT(image.height, 512);
    EXPECT_GT(image.width, 512);
  }
  ASSERT_EQ(verdicts.size(), 3u);
  EXPECT_GE(verdicts[0], 0.0);
  EXPECT_NEAR(verdicts[1], verdicts[0], 1e-4);
  EXPECT_NEAR(verdicts[2], verdicts[0], 1e-4);
}

// A TFLite file exported with --layout nhwc takes [1,256,256,3]; run gives
// it a photo in that layout (its metadata records it) and reaches the
// checkpoint's probability, float and int8 alike, heatmap included.
TEST(Run, NhwcTfliteFileTakesPhotos) {
  ScratchDir out("run-nhwc");
  const CommandResult exported = run_edgeport("export --quiet --skip-onnx --layout nhwc --calibration-count 4 "
                                              "--output-dir '" + out.str() + "'");
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  for (const std::string photo : {"data/calibration/chelsea.png", "data/calibration/coffee_resampled.png"}) {
    SCOPED_TRACE(photo);
    const CommandResult checkpoint = run_edgeport("run models/tiny_ladeda_sample.pt --input " + photo);
    ASSERT_EQ(checkpoint.exit_code, 0) << checkpoint.output;
    for (const std::string file : {"student_model_fp32.tflite", "student_model.tflite"}) {
      const std::filesystem::path heatmap = out.path() / (file + ".png");
      const CommandResult result = run_edgeport("run '" + out.str() + "/" + file + "' --input " + photo +
                                                " --heatmap '" + heatmap.string() + "'");
      ASSERT_EQ(result.exit_code, 0) << result.output;
      EXPECT_NE(result.output.find("input 'input': [1,256,256,3]"), std::string::npos) << result.output;
      EXPECT_NEAR(fake_probability(result.output), fake_probability(checkpoint.output),
                  file == "student_model_fp32.tflite" ? 2e-6 : 2e-3)
          << file;
      EXPECT_EQ(fake_probability(result.output) > 0.5, fake_probability(checkpoint.output) > 0.5) << file;
      EXPECT_GT(load_image(heatmap).width, 256);
    }
  }
}

// The printed output matches what real PyTorch computed for the same input.
TEST(Run, NpyOutputMatchesPyTorch) {
  ScratchDir out("run-npy");
  const std::string output = out.str() + "/out.npy";
  const CommandResult result =
      run_edgeport("run tests/fixtures/models/tiny_ladeda_x_grad_pool.pt --arch tiny_ladeda:preprocess=x_grad,pool=true "
                   "--input tests/fixtures/models/astronaut_256.npy --output '" + output + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const Tensor actual = read_npy(output);
  const Tensor expected = read_npy(source_path("tests/fixtures/models/tiny_ladeda_x_grad_pool.astronaut_256.out.npy"));
  ASSERT_EQ(actual.shape(), expected.shape());
  for (std::int64_t i = 0; i < actual.numel(); ++i) {
    EXPECT_NEAR(actual.data<float>()[i], expected.data<float>()[i], 1e-4);
  }
}

TEST(Run, DirectoryOfImagesGivesOneLineEachAndCsv) {
  ScratchDir images("images");
  std::filesystem::copy_file(kAstronaut, images.path() / "a_astronaut.png");
  std::filesystem::copy_file(kCoffee, images.path() / "b_coffee.png");
  const std::string csv = images.str() + "/verdicts.csv";
  const CommandResult result = run_edgeport("run models/tiny_ladeda_sample.pt --input '" + images.str() +
                                            "' --aggregate topk --csv '" + csv + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("a_astronaut.png: fake probability"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("b_coffee.png: fake probability"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("k=1588"), std::string::npos) << result.output;
  std::ifstream stream(csv);
  std::string line;
  int lines = 0;
  while (std::getline(stream, line)) ++lines;
  EXPECT_EQ(lines, 3);
}

// --resize reaches the model: PIL's bilinear and bicubic give different
// verdicts; an unknown filter is one error line and a failing exit.
TEST(Run, ResizeFilterIsChosenAndValidated) {
  const CommandResult bicubic = run_edgeport("run models/tiny_ladeda_sample.pt --input " + kAstronaut);
  const CommandResult bilinear =
      run_edgeport("run models/tiny_ladeda_sample.pt --resize bilinear --input " + kAstronaut);
  ASSERT_EQ(bicubic.exit_code, 0) << bicubic.output;
  ASSERT_EQ(bilinear.exit_code, 0) << bilinear.output;
  EXPECT_GE(fake_probability(bicubic.output), 0.0);
  EXPECT_GE(fake_probability(bilinear.output), 0.0);
  EXPECT_NE(fake_probability(bicubic.output), fake_probability(bilinear.output));
  const CommandResult unknown = run_edgeport("run models/tiny_ladeda_sample.pt --resize lanczos --input " + kAstronaut);
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_EQ(unknown.output, "edgeport: error: --resize must be bicubic or bilinear, got 'lanczos'\n");
}

TEST(Run, WrongInputShapeAndBadFilesAreOneLineErrors) {
  const CommandResult wrong_shape =
      run_edgeport("run tests/fixtures/models/tiny_ladeda_right_diag.pt --input tests/fixtures/models/"
                   "tiny_ladeda_right_diag.randn_256.out.npy");
  EXPECT_NE(wrong_shape.exit_code, 0);
  EXPECT_NE(wrong_shape.output.find("has shape [1,1,126,126]"), std::string::npos) << wrong_shape.output;
  const CommandResult malicious = run_edgeport("run tests/fixtures/pytorch/evil_os_system.pt --arch tiny_ladeda");
  EXPECT_NE(malicious.exit_code, 0);
  EXPECT_NE(malicious.output.find("evil_os_system.pt"), std::string::npos) << malicious.output;
  EXPECT_NE(malicious.output.find("system"), std::string::npos) << malicious.output;
  const CommandResult not_inferable = run_edgeport("run tests/fixtures/pytorch/dtype_float32.pt");
  EXPECT_NE(not_inferable.exit_code, 0);
  EXPECT_NE(not_inferable.output.find("--arch"), std::string::npos) << not_inferable.output;
}

}  // namespace
}  // namespace edgeport::testing
