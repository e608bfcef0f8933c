#pragma once

#include <array>
#include <optional>

#include "core/graph.h"

namespace edgeport {

// The per-channel normalisation of an image input, (pixel / 255 - mean) / std,
// that a graph records in its metadata ("input_mean" and "input_std",
// comma-separated).
struct Normalization {
  std::array<float, 3> mean;
  std::array<float, 3> std;
};

// The graph's recorded normalisation. A graph that takes raw pixels
// (takes_raw_pixels) records mean 0 and std 1/255, which leaves the pixel
// values as they are. Nothing when the graph records neither.
std::optional<Normalization> graph_normalization(const Graph& graph);

// Whether the graph's image input takes pixel values 0..255 as they are
// (metadata "input_pixels" = "0..255"): its normalisation is inside it.
bool takes_raw_pixels(const Graph& graph);

// Records that the graph takes raw pixel values, in place of its
// normalisation.
void mark_raw_pixels(Graph& graph);

}  // namespace edgeport
