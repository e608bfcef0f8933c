#pragma once

#include <string>
#include <vector>

#include "core/tensor.h"
#include "pipeline/detection.h"

namespace edgeport {

// What `edgeport run` prints and tabulates about one output.
struct OutputStats {
  float low = 0;
  float high = 0;
  double mean = 0;
};
OutputStats output_stats(const Tensor& output);

// "shape [1,1,126,126], range [-220.062, 25.3378], mean -7.65594"
std::string describe_output(const Tensor& output);

// "fake probability 0.000473, real (mean of 15876 patch logits = -7.65594),
// patches above 0.5: 40.7%"
std::string describe_detection(const DetectionSummary& summary, const Aggregation& aggregation);

// What a heatmap says under the map: the image's probability and verdict,
// how the patch logits were aggregated into it, and `legend` (what the
// colours mean).
std::vector<std::string> heatmap_caption(const DetectionSummary& summary, const Aggregation& aggregation,
                                         const std::string& legend);

}  // namespace edgeport
