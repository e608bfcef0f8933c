#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/npy.h"
#include "pipeline/image.h"
#include "pipeline/inputs.h"

namespace edgeport {
namespace {

const char* kAstronaut = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";

// tools/make_fixtures.py made astronaut_256.npy with torch's bicubic resize and
// ImageNet normalisation; our image path must give the same tensor.
TEST(Image, AstronautInputMatchesPyTorchPreprocessing) {
  const Tensor expected = read_npy(std::string(EDGEPORT_SOURCE_DIR) + "/tests/fixtures/models/astronaut_256.npy");
  const Tensor actual = image_to_input(load_image(kAstronaut), 256, 256, {0.485f, 0.456f, 0.406f},
                                       {0.229f, 0.224f, 0.225f});
  ASSERT_EQ(actual.shape(), expected.shape());
  float worst = 0;
  for (std::int64_t i = 0; i < actual.numel(); ++i) {
    worst = std::max(worst, std::fabs(actual.data<float>()[i] - expected.data<float>()[i]));
  }
  EXPECT_LE(worst, 1e-4f);
}

TEST(Image, BicubicKeepsConstantsAndIdentity) {
  Tensor constant(DType::Float32, {1, 1, 5, 7});
  for (float& value : constant.values<float>()) value = 0.25f;
  const Tensor resized = resize_bicubic(constant, 9, 3);
  for (float value : resized.values<float>()) EXPECT_NEAR(value, 0.25f, 1e-6f);
  const Tensor ramp = seeded_random_input({1, 2, 4, 4}, 3);
  const Tensor same = resize_bicubic(ramp, 4, 4);
  for (std::int64_t i = 0; i < ramp.numel(); ++i) EXPECT_NEAR(same.data<float>()[i], ramp.data<float>()[i], 1e-6f);
}

TEST(Image, RejectsFilesThatAreNotImages) {
  EXPECT_THROW(load_image(std::string(EDGEPORT_SOURCE_DIR) + "/CMakeLists.txt"), Error);
}

}  // namespace
}  // namespace edgeport
