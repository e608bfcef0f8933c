#pragma once

#include <cstdint>
#include <optional>

#include "core/graph.h"
#include "core/tensor.h"

namespace edgeport {

// Brings a tensor to the shape another model's interface expects: unchanged
// when the shapes already agree, transposed NCHW <-> NHWC when one is that
// permutation of the other (TFLite files written with --layout nhwc).
// An Error otherwise.
Tensor adapt_layout(const Tensor& tensor, const Shape& wanted);

// Whether the graph's rank-4 inputs and outputs are NHWC: TFLite files that
// edgeport wrote with --layout nhwc record "layout": "nhwc" in their metadata
// (the TFLite writer), and only their rank-4 interface tensors change layout.
bool has_nhwc_interface(const Graph& graph);

// The geometry of an image input (3 colour channels): [N,3,H,W], or
// [N,H,W,3] in a graph with an NHWC interface. Nothing for other inputs.
struct ImageInputLayout {
  std::int64_t batch = 0;
  std::int64_t height = 0;
  std::int64_t width = 0;
  bool nhwc = false;
};
std::optional<ImageInputLayout> image_input_layout(const Graph& graph);

// A rank-4 interface tensor of `graph` in NCHW: transposed from NHWC when the
// graph's interface is NHWC, unchanged otherwise.
Tensor interface_to_nchw(const Graph& graph, const Tensor& tensor);

}  // namespace edgeport
