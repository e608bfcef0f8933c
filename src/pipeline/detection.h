#pragma once

#include <cstdint>
#include <string>

#include "core/graph.h"
#include "core/tensor.h"

namespace edgeport {

// How patch logits become one image-level score: the mean (LaDeDa's pooling),
// the max, or the mean of the K largest (K = max(5, ceil(10% of patches)) when
// not given).
struct Aggregation {
  enum class Kind { Mean, Max, TopK };
  Kind kind = Kind::Mean;
  std::int64_t k = 0;

  static Aggregation parse(const std::string& text);
  std::string to_string() const;
};

struct DetectionSummary {
  double fake_probability = 0;   // sigmoid of the aggregated logit
  double aggregated_logit = 0;
  double fraction_above_half = 0;  // patches whose probability exceeds 0.5
  std::int64_t patches = 0;
  std::int64_t k_used = 0;
};

// Whether the graph is a patch detector (Tiny-LaDeDa and its variants), whose
// output is a map of patch logits aggregated into one fake probability.
bool is_patch_detector(const Graph& graph);

// logits: any float32 tensor of patch logits (a [1,1,H,W] map or a [1,1] score).
DetectionSummary summarize_patch_logits(const Tensor& logits, const Aggregation& aggregation);

// Per-patch probabilities of a [1,1,H,W] logit map as an [H,W] tensor.
Tensor patch_probabilities(const Tensor& logits);

}  // namespace edgeport
