#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/npy.h"
#include "pipeline/image.h"
#include "resize_fixtures.h"

namespace edgeport {
namespace {

// The largest |actual - expected|; any NaN makes it infinite so that no
// tolerance accepts it.
double worst_difference(const Tensor& actual, const Tensor& expected) {
  double worst = 0;
  for (std::int64_t i = 0; i < actual.numel(); ++i) {
    const double difference = std::fabs(double{actual.data<float>()[i]} - double{expected.data<float>()[i]});
    if (std::isnan(difference)) return std::numeric_limits<double>::infinity();
    worst = std::max(worst, difference);
  }
  return worst;
}

std::array<float, 3> triplet(const nlohmann::json& values) {
  return {values.at(0).get<float>(), values.at(1).get<float>(), values.at(2).get<float>()};
}

// The model input equals what the user's PIL resize (bicubic) or the model
// authors' transforms.Resize (bilinear), then ToTensor and Normalize, make.
TEST(Image, InputMatchesPillowAndTorchvisionPreprocessing) {
  const nlohmann::json cases = testing::resize_manifest().at("model_inputs");
  ASSERT_EQ(cases.size(), 2u);
  for (const nlohmann::json& item : cases) {
    const std::string expected_file = item.at("expected");
    SCOPED_TRACE(expected_file);
    const Tensor expected = read_npy(testing::resize_fixture(expected_file));
    const Tensor actual =
        image_to_input(load_image(testing::resize_fixture(item.at("source"))), item.at("height"), item.at("width"),
                       triplet(item.at("mean")), triplet(item.at("std")), parse_resize_filter(item.at("filter")));
    ASSERT_EQ(actual.shape(), expected.shape());
    // Bit-equal, not merely within 1e-6: the uint8 resize is Pillow's exactly
    // and x / 255, - mean, / std are each one float32 rounding, as in torch.
    // (x * (1 / 255) instead would already be off by 3.6e-7.)
    EXPECT_EQ(worst_difference(actual, expected), 0.0);
  }
}

TEST(Image, WorstDifferenceFailsOnNaN) {
  Tensor expected(DType::Float32, {2});
  Tensor actual(DType::Float32, {2});
  actual.data<float>()[1] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(worst_difference(actual, expected), std::numeric_limits<double>::infinity());
}

TEST(Image, RejectsFilesThatAreNotImages) {
  EXPECT_THROW(load_image(std::string(EDGEPORT_SOURCE_DIR) + "/CMakeLists.txt"), Error);
}

}  // namespace
}  // namespace edgeport
