#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <filesystem>

#include "pipeline/float_layer_search.h"
#include "pipeline/model_file.h"
#include "trained_photos.h"

namespace edgeport {
namespace {

using testing::kSkimagePhotos;
using testing::output_sqnr_db;
using testing::skimage_photos;

struct Case {
  const char* checkpoint;
  int bits;
  double floor_db;
};

class FloatLayerSearch : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kSkimagePhotos)) GTEST_SKIP() << "python3-skimage photos not installed";
    LoadOptions options;
    options.fold = true;
    graph_ = load_model(GetParam().checkpoint, options).graph;
    inputs_ = skimage_photos(graph_);
    config_.bits = GetParam().bits;
  }

  FloorCheck floor() const {
    const double floor_db = GetParam().floor_db;
    return [floor_db](const ModelLevelComparison& comparison, const OutputSets&, const OutputSets&) {
      return comparison.overall.sqnr_db >= floor_db;
    };
  }

  double measured_sqnr(const std::vector<std::string>& float_layers) const {
    QuantConfig config = config_;
    config.float_layers = float_layers;
    return output_sqnr_db(graph_, quantize_graph(graph_, config).graph, inputs_);
  }

  Graph graph_;
  std::vector<LabelledInputs> inputs_;
  QuantConfig config_;
};

TEST_P(FloatLayerSearch, KeepsAsFewLayersInFloatAsAnExhaustiveSearchNeeds) {
  const std::vector<std::string> layers = weight_layers(graph_);
  ASSERT_EQ(layers.size(), 5u);
  // Every subset, smallest first; the first that meets the floor sets the size.
  std::vector<unsigned> masks;
  for (unsigned mask = 0; mask < (1u << layers.size()); ++mask) masks.push_back(mask);
  std::stable_sort(masks.begin(), masks.end(),
                   [](unsigned a, unsigned b) { return std::popcount(a) < std::popcount(b); });
  std::size_t fewest = layers.size() + 1;
  for (unsigned mask : masks) {
    std::vector<std::string> float_layers;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      if (mask & (1u << i)) float_layers.push_back(layers[i]);
    }
    if (measured_sqnr(float_layers) >= GetParam().floor_db) {
      fewest = float_layers.size();
      break;
    }
  }
  ASSERT_GT(fewest, 0u) << "the case must need float layers to test the search";

  const FloatLayerChoice choice = fewest_float_layers(graph_, config_, inputs_, floor());
  EXPECT_TRUE(choice.met);
  EXPECT_TRUE(choice.exhaustive);
  EXPECT_EQ(choice.float_layers.size(), fewest);
  EXPECT_GE(measured_sqnr(choice.float_layers), GetParam().floor_db);
}

TEST_P(FloatLayerSearch, GreedyOrderBeyondTheExhaustiveLimitStillMeetsTheFloor) {
  const FloatLayerChoice choice = fewest_float_layers(graph_, config_, inputs_, floor(), nullptr, 0);
  EXPECT_TRUE(choice.met);
  EXPECT_FALSE(choice.exhaustive);
  EXPECT_GE(measured_sqnr(choice.float_layers), GetParam().floor_db);
}

INSTANTIATE_TEST_SUITE_P(TrainedCheckpoints, FloatLayerSearch,
                         ::testing::Values(Case{"models/tiny_ladeda_sample.pt", 8, 44.0},
                                         Case{"models/tiny_ladeda_sample.pt", 6, 40.0},
                                         Case{"tests/fixtures/models/tiny_ladeda_high_scale.pt", 7, 40.0}));

TEST(FloatLayerSearchFloor, NoFloatLayerWhenTheFullQuantizationMeetsTheFloor) {
  if (!std::filesystem::exists(kSkimagePhotos)) GTEST_SKIP() << "python3-skimage photos not installed";
  LoadOptions options;
  options.fold = true;
  const Graph graph = load_model("models/tiny_ladeda_sample.pt", options).graph;
  const FloorCheck floor = [](const ModelLevelComparison& comparison, const OutputSets&, const OutputSets&) {
    return comparison.overall.sqnr_db >= 30.0;
  };
  const FloatLayerChoice choice = fewest_float_layers(graph, QuantConfig{}, skimage_photos(graph), floor);
  EXPECT_TRUE(choice.met);
  EXPECT_TRUE(choice.float_layers.empty());
  EXPECT_EQ(choice.candidates_measured, 1u);
}

}  // namespace
}  // namespace edgeport
