#pragma once

#include "core/graph.h"

namespace edgeport {

// Folds inference BatchNorm into the preceding Conv (or Linear) when that conv
// has no other reader: W' = W * gamma/sqrt(var+eps) per output channel,
// b' = (b - mean) * gamma/sqrt(var+eps) + beta. Returns how many were folded.
int fold_batch_norm(Graph& graph);

// Fuses Relu / Relu6 that directly follow a Conv, Linear or Add (and are that
// op's only reader) into the op's "activation" attribute. Returns the count.
int fuse_activations(Graph& graph);

}  // namespace edgeport
