#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <optional>

#include "pipeline/calibration_statistics.h"
#include "pipeline/layer_attribution.h"
#include "pipeline/model_file.h"
#include "trained_photos.h"

namespace edgeport {
namespace {

using testing::kSkimagePhotos;
using testing::output_sqnr_db;
using testing::skimage_photos;

Graph folded(const std::string& checkpoint) {
  LoadOptions options;
  options.fold = true;
  return load_model(checkpoint, options).graph;
}

struct AttributionCase {
  const char* checkpoint;
  bool symmetric;
  bool calibrated;  // export's default: adaptive rounding with bias correction
};

class TrainedCheckpoints : public ::testing::TestWithParam<AttributionCase> {};

// The experiment the attribution must agree with: leave one layer in float,
// everything else quantized, and see whose absence helps the output most.
TEST_P(TrainedCheckpoints, MostHarmfulLayerIsTheOneWhoseFloatCopyHelpsMost) {
  if (!std::filesystem::exists(kSkimagePhotos)) GTEST_SKIP() << "python3-skimage photos not installed";
  const Graph graph = folded(GetParam().checkpoint);
  const std::vector<LabelledInputs> inputs = skimage_photos(graph);
  QuantConfig config;
  config.symmetric = GetParam().symmetric;
  std::optional<CalibrationStatistics> statistics;
  if (GetParam().calibrated) {
    config.rounding = Rounding::Adaptive;
    config.bias_correction = true;
    statistics = collect_calibration_statistics(graph, inputs);
  }
  const CalibrationStatistics* known = statistics ? &*statistics : nullptr;

  const LayerAttribution attribution = attribute_layer_errors(graph, config, inputs, known);
  ASSERT_EQ(attribution.layers.size(), 5u);

  std::string best_left_float;
  double best_sqnr = -INFINITY;
  for (const std::string& layer : weight_layers(graph)) {
    QuantConfig leave_one = config;
    leave_one.float_layers = {layer};
    const double sqnr = output_sqnr_db(graph, quantize_graph(graph, leave_one, known).graph, inputs);
    if (sqnr > best_sqnr) {
      best_sqnr = sqnr;
      best_left_float = layer;
    }
  }
  EXPECT_EQ(attribution.most_harmful, best_left_float);
}

INSTANTIATE_TEST_SUITE_P(LayerAttribution, TrainedCheckpoints,
                         ::testing::Values(AttributionCase{"models/tiny_ladeda_sample.pt", false, false},
                                         AttributionCase{"models/tiny_ladeda_sample.pt", true, false},
                                         AttributionCase{"models/tiny_ladeda_sample.pt", false, true},
                                         AttributionCase{"tests/fixtures/models/tiny_ladeda_high_scale.pt", false, false},
                                         AttributionCase{"tests/fixtures/models/tiny_ladeda_high_scale.pt", false, true}));

TEST(LayerAttribution, FiguresAgreeWhereTheyMustAndSharesSumToOne) {
  if (!std::filesystem::exists(kSkimagePhotos)) GTEST_SKIP() << "python3-skimage photos not installed";
  const Graph graph = folded("models/tiny_ladeda_sample.pt");
  const std::vector<LabelledInputs> inputs = skimage_photos(graph);
  const QuantConfig config;
  const LayerAttribution attribution = attribute_layer_errors(graph, config, inputs);
  ASSERT_EQ(attribution.layers.size(), 5u);
  // The first layer reads the float input in both runs.
  EXPECT_DOUBLE_EQ(attribution.layers.front().own_sqnr_db, attribution.layers.front().propagated_sqnr_db);
  // The last layer's output is the model's: everything up to it is everything.
  // The attribution watches every layer's output, which keeps the runtime from
  // merging and chaining those layers as it does for the whole model: the two
  // runs round differently (about 1e-5 of the output scale), a few 1e-6 dB here.
  EXPECT_EQ(attribution.layers.back().layer, "fc");
  EXPECT_NEAR(attribution.layers.back().propagated_sqnr_db,
              output_sqnr_db(graph, quantize_graph(graph, config).graph, inputs), 1e-4);
  double shares = 0.0;
  for (const LayerError& layer : attribution.layers) shares += layer.output_error_share;
  EXPECT_NEAR(shares, 1.0, 1e-12);
}

TEST(LayerAttribution, LayersKeptInFloatAreNotListed) {
  if (!std::filesystem::exists(kSkimagePhotos)) GTEST_SKIP() << "python3-skimage photos not installed";
  const Graph graph = folded("models/tiny_ladeda_sample.pt");
  QuantConfig config;
  config.float_layers = {"conv2"};
  const LayerAttribution attribution = attribute_layer_errors(graph, config, skimage_photos(graph));
  ASSERT_EQ(attribution.layers.size(), 4u);
  for (const LayerError& layer : attribution.layers) EXPECT_NE(layer.layer, "conv2");
  EXPECT_NE(format_layer_attribution(attribution).find("most harmful layer: " + attribution.most_harmful),
            std::string::npos);
}

}  // namespace
}  // namespace edgeport
