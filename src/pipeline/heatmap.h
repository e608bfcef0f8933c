#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/heatmap_scale.h"
#include "pipeline/image.h"

namespace edgeport {

struct PixelRect {
  int left = 0;
  int top = 0;
  int width = 0;
  int height = 0;
};

struct Heatmap {
  Image canvas;
  PixelRect map;      // the photo with the patch map laid over it
  PixelRect bar;      // the colour scale, its labels to its right
  PixelRect caption;  // the text under both, across the whole width
};

// The patch map over the photo the user gave, at the photo's aspect ratio:
// the photo is shown at its own size with its longer side brought within 256
// to 1024 pixels, and each of its pixels takes the colour of the patches over
// the model-input pixel it was resized to (the model sees the photo squashed
// to input_width x input_height, PIL's resize maps pixel centres linearly).
// A colour bar with the map's labels stands at the right, and `caption`,
// wrapped to the width, under both; text is twice as large on wide photos.
Heatmap draw_heatmap(const Image& photo, std::int64_t input_height, std::int64_t input_width,
                     const ScaledPatchMap& map, const std::vector<std::string>& caption);

// The fractional patch index over pixel `pixel` of a photo shown `shown`
// pixels wide (or high), which the model saw resized to `input` pixels and
// answered with `patches` patches along that axis. Patch centres are taken
// `stride` = floor(input / patches) input pixels apart, centred on the input:
// for Tiny-LaDeDa (126 patches over 256 pixels; valid 3x3 convolutions, the
// last with stride 2) its exact centres, 2 + 2i, lie half an input pixel
// before these, a quarter of a patch; the graph's ops are not traced for it.
double patch_coordinate(int pixel, int shown, std::int64_t input, std::int64_t patches);

// The canvas as a PNG, written atomically.
void write_heatmap_png(const std::filesystem::path& path, const Heatmap& heatmap);

}  // namespace edgeport
