#include "pipeline/heatmap_scale.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <span>
#include <vector>

#include "core/error.h"
#include "pipeline/detection.h"

namespace edgeport {

namespace {

std::string short_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

// The 99th percentile of the sizes of the logits on one side of 0; 1 when
// that side has none, so that the scale stays defined.
double side_clip(std::span<const float> logits, bool positive) {
  std::vector<float> sizes;
  for (float logit : logits) {
    if (positive ? logit > 0 : logit < 0) sizes.push_back(std::fabs(logit));
  }
  if (sizes.empty()) return 1.0;
  const std::size_t at = std::min(sizes.size() - 1, static_cast<std::size_t>(0.99 * static_cast<double>(sizes.size())));
  std::nth_element(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(at), sizes.end());
  return sizes[at];
}

// Each side of 0 has its own clip: a detector's real patches reach -200
// where its fake ones stop at +25, and one clip for both would leave the
// fake evidence a faint tint.
void by_logit(std::span<const float> logits, ScaledPatchMap& scaled) {
  const double top = side_clip(logits, true);
  const double bottom = side_clip(logits, false);
  std::span<float> positions = scaled.positions.values<float>();
  for (std::size_t i = 0; i < logits.size(); ++i) {
    const double clip = logits[i] > 0 ? top : bottom;
    positions[i] = static_cast<float>(0.5 + 0.5 * std::clamp(logits[i] / clip, -1.0, 1.0));
  }
  scaled.bar_labels = {"+" + short_number(top), "0", "-" + short_number(bottom)};
  scaled.legend = "colour: patch logit, linear on each side of 0, clipped at the 99th percentile of each side (" +
                  scaled.bar_labels[2] + ", " + scaled.bar_labels[0] + ")";
}

// Ties share the mean of their ranks, so equal logits get equal colours.
void by_rank(std::span<const float> logits, ScaledPatchMap& scaled) {
  std::vector<std::size_t> order(logits.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return logits[a] < logits[b]; });
  std::span<float> positions = scaled.positions.values<float>();
  const double count = static_cast<double>(logits.size());
  for (std::size_t first = 0; first < order.size();) {
    std::size_t last = first;
    while (last + 1 < order.size() && logits[order[last + 1]] == logits[order[first]]) ++last;
    const double mean_rank = 0.5 * static_cast<double>(first + last);
    for (std::size_t i = first; i <= last; ++i) positions[order[i]] = static_cast<float>((mean_rank + 0.5) / count);
    first = last + 1;
  }
  scaled.bar_labels = {"100%", "50%", "0%"};
  scaled.legend = "colour: percentile of the patch logit among this image's patches";
}

}  // namespace

HeatmapScale parse_heatmap_scale(const std::string& text) {
  if (text == "probability") return HeatmapScale::Probability;
  if (text == "logit") return HeatmapScale::Logit;
  if (text == "rank") return HeatmapScale::Rank;
  throw Error("--heatmap-scale must be probability, logit or rank, got '" + text + "'");
}

std::string to_string(HeatmapScale scale) {
  switch (scale) {
    case HeatmapScale::Probability: return "probability";
    case HeatmapScale::Logit: return "logit";
    case HeatmapScale::Rank: return "rank";
  }
  return "logit";
}

ScaledPatchMap scale_patch_logits(const Tensor& logits, HeatmapScale scale) {
  for (float logit : logits.values<float>()) {
    if (!std::isfinite(logit)) throw Error("heatmap: the model's patch logits hold NaN or Inf");
  }
  // patch_probabilities refuses anything but a [1,1,H,W] map, whatever the scale.
  ScaledPatchMap scaled{patch_probabilities(logits), {"1", "0.5", "0"},
                        "colour: patch probability, the sigmoid of its logit"};
  if (scale == HeatmapScale::Logit) by_logit(logits.values<float>(), scaled);
  if (scale == HeatmapScale::Rank) by_rank(logits.values<float>(), scaled);
  return scaled;
}

}  // namespace edgeport
