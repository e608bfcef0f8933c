#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <span>

#include "core/error.h"
#include "pipeline/heatmap.h"
#include "pipeline/inputs.h"
#include "pipeline/model_file.h"
#include "pipeline/run_text.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

const std::filesystem::path kSourceDir = EDGEPORT_SOURCE_DIR;
const std::filesystem::path kSkimage = "/usr/lib/python3/dist-packages/skimage/data";

const LoadedModel& sample_model() {
  static const LoadedModel model = load_model(kSourceDir / "models/tiny_ladeda_sample.pt");
  return model;
}

Tensor logits_of(const std::filesystem::path& photo) {
  return run_graph(sample_model().graph, load_input(photo, sample_model().graph));
}

// The sample's [1,1,126,126] logits on every bundled photo.
const std::vector<std::pair<std::string, Tensor>>& calibration_logits() {
  static const std::vector<std::pair<std::string, Tensor>> all = [] {
    std::vector<std::pair<std::string, Tensor>> logits;
    for (const auto& photo : calibration_images(kSourceDir / "data/calibration", 0)) {
      logits.emplace_back(photo.filename().string(), logits_of(photo));
    }
    return logits;
  }();
  return all;
}

// Patches whose colour sits within 1% of either end of the ramp.
double saturated_share(const Tensor& positions) {
  const auto values = positions.values<float>();
  return static_cast<double>(std::count_if(values.begin(), values.end(),
                                           [](float value) { return value < 0.01f || value > 0.99f; })) /
         static_cast<double>(values.size());
}

TEST(HeatmapScale, EveryScaleKeepsTheOrderOfThePatchLogits) {
  for (const auto& [name, logits] : calibration_logits()) {
    SCOPED_TRACE(name);
    const auto values = logits.values<float>();
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    for (HeatmapScale scale : {HeatmapScale::Probability, HeatmapScale::Logit, HeatmapScale::Rank}) {
      SCOPED_TRACE(to_string(scale));
      const ScaledPatchMap scaled = scale_patch_logits(logits, scale);
      const auto positions = scaled.positions.values<float>();
      ASSERT_EQ(positions.size(), values.size());
      std::size_t out_of_order = 0;
      for (std::size_t i = 1; i < order.size(); ++i) out_of_order += positions[order[i]] < positions[order[i - 1]];
      EXPECT_EQ(out_of_order, 0u);
      EXPECT_GE(*std::min_element(positions.begin(), positions.end()), 0.0f);
      EXPECT_LE(*std::max_element(positions.begin(), positions.end()), 1.0f);
    }
  }
}

// The logit scale puts each patch's decision line (logit 0) in the middle of
// the ramp and is linear on each side up to that side's clip.
TEST(HeatmapScale, LogitKeepsTheSignAndTheProportions) {
  for (const auto& [name, logits] : calibration_logits()) {
    SCOPED_TRACE(name);
    const auto values = logits.values<float>();
    const ScaledPatchMap scaled = scale_patch_logits(logits, HeatmapScale::Logit);
    const auto positions = scaled.positions.values<float>();
    std::size_t sign_changed = 0;
    std::array<std::vector<double>, 2> slopes;  // below 0, above 0
    for (std::size_t i = 0; i < values.size(); ++i) {
      sign_changed += (positions[i] > 0.5f) != (values[i] > 0.0f);
      if (std::fabs(positions[i] - 0.5f) < 0.49f && std::fabs(values[i]) > 1.0f) {
        slopes[values[i] > 0].push_back((positions[i] - 0.5) / values[i]);
      }
    }
    EXPECT_EQ(sign_changed, 0u);
    // Each side clips its own top 1%: the sample's real patches reach -220
    // where its fake ones stop at +27, and one clip for both would leave the
    // positive end of the ramp empty.
    std::array<std::size_t, 2> on_side{}, at_end{};
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (values[i] == 0.0f) continue;
      const bool positive = values[i] > 0.0f;
      ++on_side[positive];
      at_end[positive] += positive ? positions[i] == 1.0f : positions[i] == 0.0f;
    }
    for (int side = 0; side < 2; ++side) {
      const double share = static_cast<double>(at_end[side]) / static_cast<double>(on_side[side]);
      // About 1%: the clip value itself and any ties with it reach the end too.
      EXPECT_GT(share, 0.005) << (side ? "positive" : "negative") << " side";
      EXPECT_LT(share, 0.015) << (side ? "positive" : "negative") << " side";
    }
    for (const auto& side : slopes) {
      // Most patches of a sky share one logit near 0 (see
      // RankSpreadsTheColoursEvenly), so a rocket photo has few per side.
      ASSERT_GT(side.size(), 100u);
      const auto [low, high] = std::minmax_element(side.begin(), side.end());
      EXPECT_LT((*high - *low) / *high, 1e-4) << "not linear: slopes from " << *low << " to " << *high;
    }
  }
}

// The share of the patches that the largest group of equal logits holds
// (patches whose features ReLU zeroes all give the fc bias).
double largest_tie_share(std::span<const float> values) {
  std::vector<float> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  std::size_t largest = 1;
  for (std::size_t i = 0, run = 1; i + 1 < sorted.size(); ++i) {
    run = sorted[i + 1] == sorted[i] ? run + 1 : 1;
    largest = std::max(largest, run);
  }
  return static_cast<double>(largest) / static_cast<double>(values.size());
}

// The rank scale gives every fifth of the ramp a fifth of the patches, up to
// a group of equal logits, which shares one colour.
TEST(HeatmapScale, RankSpreadsTheColoursEvenly) {
  for (const auto& [name, logits] : calibration_logits()) {
    SCOPED_TRACE(name);
    const ScaledPatchMap scaled = scale_patch_logits(logits, HeatmapScale::Rank);
    const auto positions = scaled.positions.values<float>();
    std::array<std::size_t, 5> fifths{};
    for (float position : positions) ++fifths[std::min<std::size_t>(4, static_cast<std::size_t>(position * 5))];
    const double tolerance = std::max(0.002, largest_tie_share(logits.values<float>()));
    for (std::size_t count : fifths) {
      EXPECT_NEAR(static_cast<double>(count) / static_cast<double>(positions.size()), 0.2, tolerance);
    }
  }
}

// Why probability is not the default: the sample's logits reach the
// hundreds, so the per-patch sigmoid puts many patches at an end of the ramp
// (12% to 64% on the bundled photos), where the logit scale puts about the
// 1% it clips on each side.
TEST(HeatmapScale, ProbabilitySaturatesWhereLogitDoesNot) {
  for (const auto& [name, logits] : calibration_logits()) {
    SCOPED_TRACE(name);
    const double probability = saturated_share(scale_patch_logits(logits, HeatmapScale::Probability).positions);
    const double logit = saturated_share(scale_patch_logits(logits, HeatmapScale::Logit).positions);
    EXPECT_GT(probability, 5 * logit);
    EXPECT_LT(logit, 0.02);
    EXPECT_GE(logit, 0.01);  // the top 1% of |logit| is clipped
  }
}

TEST(HeatmapScale, NamesAreParsedAndOthersRefused) {
  EXPECT_EQ(parse_heatmap_scale("rank"), HeatmapScale::Rank);
  EXPECT_EQ(to_string(parse_heatmap_scale("probability")), "probability");
  EXPECT_THROW(parse_heatmap_scale("log"), Error);
}

// Photos of several aspect ratios and sizes, from 256x256 to 1411x1411: the
// map keeps the photo's proportions, its longer side the photo's own within
// 256..1024 pixels.
TEST(Heatmap, MapFollowsThePhotosAspectRatio) {
  const std::vector<std::filesystem::path> photos = {
      kSourceDir / "data/calibration/coffee.png", kSkimage / "chelsea.png", kSkimage / "rocket.jpg",
      kSkimage / "hubble_deep_field.jpg", kSkimage / "retina.jpg"};
  for (const auto& path : photos) {
    SCOPED_TRACE(path.string());
    const Image photo = load_image(path);
    const Tensor logits = logits_of(path);
    const Heatmap heatmap = draw_heatmap(photo, 256, 256, scale_patch_logits(logits, HeatmapScale::Logit), {"caption"});
    const PixelRect& map = heatmap.map;
    EXPECT_EQ(map.left, 0);
    EXPECT_EQ(map.top, 0);
    // Each side rounds by at most half a pixel.
    EXPECT_LE(std::abs(map.width * photo.height - map.height * photo.width), (photo.width + photo.height) / 2 + 1);
    const int longer = std::max(map.width, map.height);
    EXPECT_EQ(longer, std::clamp(std::max(photo.width, photo.height), 256, 1024));
    EXPECT_GT(heatmap.bar.left, map.width);
    EXPECT_GT(heatmap.canvas.width, heatmap.bar.left + heatmap.bar.width);  // the labels
    EXPECT_EQ(heatmap.bar.height, map.height);
    EXPECT_EQ(heatmap.caption.top, map.height);
    EXPECT_EQ(heatmap.canvas.height, map.height + heatmap.caption.height);
    EXPECT_EQ(heatmap.canvas.rgb.size(), static_cast<std::size_t>(heatmap.canvas.width) * heatmap.canvas.height * 3);
  }
}

// Tiny-LaDeDa's patch i is centred on input pixel 2 + 2i (a 3x3 "same"
// filter, a valid 3x3 convolution, a valid 3x3 convolution with stride 2).
// The display pixel over that input pixel, on a photo shown at any size,
// lies over patch i to within the documented quarter of a patch; a map
// stretched evenly (256/126 pixels a patch) would be off by more than a
// patch at the far edge.
TEST(Heatmap, PatchGridLiesOverThePixelsEachPatchSaw) {
  for (const int shown : {256, 300, 427, 640, 1024}) {
    SCOPED_TRACE(shown);
    double worst = 0;
    for (int patch = 0; patch < 126; ++patch) {
      const double input_centre = 2.0 + 2.0 * patch;
      // PIL maps pixel centres linearly: photo pixel p shows input (p + 0.5) * 256 / shown - 0.5.
      const double display = (input_centre + 0.5) * shown / 256.0 - 0.5;
      const int pixel = static_cast<int>(std::lround(display));
      // Rounding to a whole display pixel moves it by up to half a pixel.
      const double rounding = std::fabs(pixel - display) * 256.0 / shown / 2.0;
      worst = std::max(worst, std::fabs(patch_coordinate(pixel, shown, 256, 126) - patch) - rounding);
    }
    EXPECT_LE(worst, 0.25 + 1e-9);
  }
}

std::size_t ink_in(const Image& canvas, const PixelRect& rect) {
  std::size_t ink = 0;
  for (int y = rect.top; y < rect.top + rect.height; ++y) {
    for (int x = rect.left; x < rect.left + rect.width; ++x) {
      const std::uint8_t* pixel = &canvas.rgb[(static_cast<std::size_t>(y) * canvas.width + x) * 3];
      ink += pixel[0] == 0 && pixel[1] == 0 && pixel[2] == 0;
    }
  }
  return ink;
}

bool same_pixels(const Heatmap& a, const Heatmap& b, const PixelRect& rect) {
  for (int y = rect.top; y < rect.top + rect.height; ++y) {
    const std::size_t row = (static_cast<std::size_t>(y) * a.canvas.width + rect.left) * 3;
    if (!std::equal(a.canvas.rgb.begin() + row, a.canvas.rgb.begin() + row + rect.width * 3, b.canvas.rgb.begin() + row)) {
      return false;
    }
  }
  return true;
}

// The caption is drawn under the map and says the image's score: another
// aggregation changes the caption's pixels and nothing over the photo; no
// caption, no ink.
TEST(Heatmap, CaptionCarriesTheScoreAndTheAggregation) {
  const auto path = kSkimage / "rocket.jpg";
  const Image photo = load_image(path);
  const Tensor logits = logits_of(path);
  const ScaledPatchMap map = scale_patch_logits(logits, HeatmapScale::Logit);
  const auto caption = [&](const std::string& aggregation) {
    const Aggregation parsed = Aggregation::parse(aggregation);
    return heatmap_caption(summarize_patch_logits(logits, parsed), parsed, map.legend);
  };
  const Heatmap mean = draw_heatmap(photo, 256, 256, map, caption("mean"));
  const Heatmap max = draw_heatmap(photo, 256, 256, map, caption("max"));
  const Heatmap bare = draw_heatmap(photo, 256, 256, map, {});
  EXPECT_NE(caption("mean"), caption("max"));
  EXPECT_NE(caption("mean")[0].find("fake probability"), std::string::npos);
  EXPECT_NE(caption("max")[1].find("max of 15876 patch logits"), std::string::npos);
  ASSERT_EQ(mean.canvas.width, max.canvas.width);
  EXPECT_GT(ink_in(mean.canvas, mean.caption), 500u);
  EXPECT_EQ(ink_in(bare.canvas, bare.caption), 0u);
  EXPECT_TRUE(same_pixels(mean, max, mean.map));
  EXPECT_FALSE(same_pixels(mean, max, mean.caption));
}

}  // namespace
}  // namespace edgeport
