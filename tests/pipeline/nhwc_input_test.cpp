#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "pipeline/detection.h"
#include "pipeline/inputs.h"
#include "pipeline/layout_adapter.h"
#include "pipeline/model_file.h"
#include "runtime/session.h"
#include "tflite/writer.h"
#include "../test_scratch.h"

namespace edgeport {
namespace {

const std::filesystem::path kSourceDir = EDGEPORT_SOURCE_DIR;

// A TFLite file written with --layout nhwc takes [1,256,256,3] and says so in
// its metadata. A photo reaches it with each pixel where NHWC puts it, and
// the file's verdict on the bundled photos is the checkpoint's.
TEST(NhwcInput, PhotosReachAnNhwcTfliteFileInItsLayout) {
  const LoadedModel checkpoint = load_model(kSourceDir / "models/tiny_ladeda_sample.pt");
  const auto folder = testing::fresh_test_folder("pipeline", "nhwc");
  TfliteExportOptions options;
  options.layout = "nhwc";
  write_tflite(checkpoint.graph, folder / "nhwc.tflite", options);
  const LoadedModel nhwc = load_model(folder / "nhwc.tflite");
  ASSERT_EQ(nhwc.graph.value(nhwc.graph.inputs.front()).shape, (Shape{1, 256, 256, 3}));
  EXPECT_TRUE(takes_images(nhwc.graph));

  for (const auto& photo : calibration_images(kSourceDir / "data/calibration", 4)) {
    SCOPED_TRACE(photo.string());
    const Tensor planar = load_input(photo, checkpoint.graph);
    const Tensor interleaved = load_input(photo, nhwc.graph);
    ASSERT_EQ(interleaved.shape(), (Shape{1, 256, 256, 3}));
    const float* from = planar.data<float>();
    const float* to = interleaved.data<float>();
    std::int64_t misplaced = 0;
    for (std::int64_t y = 0; y < 256; ++y) {
      for (std::int64_t x = 0; x < 256; ++x) {
        for (std::int64_t c = 0; c < 3; ++c) misplaced += to[(y * 256 + x) * 3 + c] != from[(c * 256 + y) * 256 + x];
      }
    }
    EXPECT_EQ(misplaced, 0);

    const Tensor expected = run_graph(checkpoint.graph, planar);
    const Tensor actual = interface_to_nchw(nhwc.graph, run_graph(nhwc.graph, interleaved));
    ASSERT_EQ(actual.shape(), expected.shape());
    const double p_expected = summarize_patch_logits(expected, {}).fake_probability;
    const double p_actual = summarize_patch_logits(actual, {}).fake_probability;
    EXPECT_NEAR(p_actual, p_expected, 1e-5);
    double worst = 0;
    for (std::int64_t i = 0; i < expected.numel(); ++i) {
      worst = std::max(worst, std::fabs(double{actual.data<float>()[i]} - expected.data<float>()[i]));
    }
    EXPECT_LT(worst, 1e-3);
  }
}

// Without the metadata the shape alone does not say NHWC: a [1,H,W,3] input
// is still refused for photos, naming both layouts.
TEST(NhwcInput, WithoutTheLayoutRecordAnImageIsRefused) {
  const LoadedModel checkpoint = load_model(kSourceDir / "models/tiny_ladeda_sample.pt");
  const auto folder = testing::fresh_test_folder("pipeline", "nhwc-unmarked");
  TfliteExportOptions options;
  options.layout = "nhwc";
  write_tflite(checkpoint.graph, folder / "nhwc.tflite", options);
  LoadedModel nhwc = load_model(folder / "nhwc.tflite");
  nhwc.graph.metadata.erase("layout");
  EXPECT_FALSE(takes_images(nhwc.graph));
  try {
    load_input(kSourceDir / "data/calibration/chelsea.png", nhwc.graph);
    FAIL() << "an unmarked [1,256,256,3] input took a photo";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("--layout nhwc"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace edgeport
