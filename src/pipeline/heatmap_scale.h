#pragma once

#include <array>
#include <string>

#include "core/tensor.h"

namespace edgeport {

// How a heatmap turns patch logits into colours (--heatmap-scale):
// - probability: the sigmoid of each patch's logit, 0 to 1. A trained
//   detector's logits reach the hundreds, so nearly every patch sits at 0 or
//   1 and the map is speckle.
// - logit: linear in the logit on each side of 0 (the patch's own decision
//   line, the middle of the ramp), each side clipped at the 99th percentile
//   of its own logits' sizes so that a few extreme patches do not wash out
//   the rest. The default: colours keep each patch's verdict and its
//   strength relative to the image's other patches of that verdict.
// - rank: the patch's rank among the image's patches, so that every colour
//   covers the same share of the map. It shows where the image is most
//   fake-looking even when every patch says real, which is why it is not the
//   default.
enum class HeatmapScale { Probability, Logit, Rank };

// "probability", "logit" or "rank"; anything else is an Error.
HeatmapScale parse_heatmap_scale(const std::string& text);
std::string to_string(HeatmapScale scale);

// A [1,1,H,W] patch-logit map as positions on the colour ramp.
struct ScaledPatchMap {
  Tensor positions;  // [H,W] float32 in [0,1]: 0 the ramp's bottom (blue), 1 its top (red)
  std::array<std::string, 3> bar_labels;  // the top, middle and bottom of the colour bar
  std::string legend;                      // one line: what the colours mean
};
ScaledPatchMap scale_patch_logits(const Tensor& logits, HeatmapScale scale);

}  // namespace edgeport
