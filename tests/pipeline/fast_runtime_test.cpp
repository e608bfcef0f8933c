// The runtime's fast path (session rewrites, depth-first conv chains, FMA row
// kernels) against its reference kernels on the user's models as they run
// them: trained checkpoints, unfolded as loaded, on real photos.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "pipeline/model_file.h"
#include "trained_photos.h"

namespace edgeport {
namespace {

using testing::kSkimagePhotos;
using testing::skimage_photos;

class FastRuntime : public ::testing::TestWithParam<const char*> {};

TEST_P(FastRuntime, StaysWithin1e5OfTheOutputScaleOnPhotos) {
  if (!std::filesystem::exists(kSkimagePhotos)) GTEST_SKIP() << "python3-skimage photos not installed";
  LoadOptions as_loaded;
  as_loaded.fold = false;
  const Graph graph = load_model(GetParam(), as_loaded).graph;
  const Session reference(graph, RunOptions{.reference = true});
  const Session fast(graph);
  ASSERT_TRUE(fast.fast());
  for (const LabelledInputs& photo : skimage_photos(graph)) {
    const Tensor expected = reference.run(photo.tensors).front();
    const Tensor actual = fast.run(photo.tensors).front();
    double scale = 0.0;
    double worst = 0.0;
    for (std::int64_t i = 0; i < expected.numel(); ++i) {
      const double want = expected.data<float>()[i];
      scale = std::max(scale, std::abs(want));
      worst = std::max(worst, std::abs(actual.data<float>()[i] - want));
    }
    // Trained logits here reach 1e3 to 1e5: the bound is relative to them.
    EXPECT_GT(scale, 10.0) << photo.label;
    EXPECT_LE(worst, 1e-5 * scale) << photo.label << ": scale " << scale;
  }
}

INSTANTIATE_TEST_SUITE_P(TrainedCheckpoints, FastRuntime,
                         ::testing::Values("models/tiny_ladeda_sample.pt",
                                           "tests/fixtures/models/tiny_ladeda_high_scale.pt"));

}  // namespace
}  // namespace edgeport
