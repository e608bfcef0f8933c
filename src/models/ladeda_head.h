#pragma once

#include <cstdint>

#include "models/model_builder.h"

namespace edgeport {

// The head LaDeDa and Tiny-LaDeDa share: fc = Linear(features, 1) at every
// position of the map (pool=false, a [N,1,H,W] map of patch logits), or after
// the authors' AvgPool2d(H, stride=1), the global mean of their square maps
// (pool=true, [N,1]).
int ladeda_head(ModelBuilder& builder, bool pool, int x, std::int64_t features);

}  // namespace edgeport
