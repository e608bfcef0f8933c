#pragma once

#include <algorithm>
#include <limits>

#include "core/graph.h"

namespace edgeport {

// The clamp a fused "activation" attribute ("none" | "relu" | "relu6") applies
// to an op's result, as TFLite's float_activation_min/max: min(max(x, low), high).
struct ActivationRange {
  float low = -std::numeric_limits<float>::infinity();
  float high = std::numeric_limits<float>::infinity();

  float apply(float x) const { return std::min(std::max(x, low), high); }
  bool is_identity() const;
};

// Reads the node's "activation" attribute; an unknown name is an Error naming the node.
ActivationRange fused_activation(const Node& node);

}  // namespace edgeport
