#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>

#include "pipeline/detection.h"
#include "pipeline/heatmap_scale.h"
#include "pipeline/model_file.h"
#include "pipeline/resize_filter.h"
#include "runtime/kernel.h"

namespace edgeport {

struct RunRequest {
  std::filesystem::path model;
  LoadOptions load;
  // A .npy array, a PNG/JPEG image, or a directory of images; a seeded
  // random input when absent.
  std::optional<std::filesystem::path> input;
  std::optional<std::filesystem::path> output_npy;
  std::optional<std::filesystem::path> heatmap_png;
  HeatmapScale heatmap_scale = HeatmapScale::Logit;
  std::optional<std::filesystem::path> csv;
  std::uint64_t seed = 0;
  Aggregation aggregation;
  // Execute hybrid-marked ops with TFLite's integer arithmetic.
  bool hybrid = true;
  // How full-int8 (QDQ) ops compute.
  IntegerArithmetic integer = IntegerArithmetic::Float;
  // How image inputs are resized to the model's input size (PIL's filters).
  ResizeFilter resize = ResizeFilter::Bicubic;
};

// Runs a model on one input (or each image of a directory) and prints what a
// user wants to know: output shape and range, and for patch-logit detectors
// (tiny_ladeda) the image-level fake probability and the share of patches
// above 0.5. Per-image problems of a directory run go to `err` (see
// run_directory.h).
void run_model(const RunRequest& request, std::ostream& out, std::ostream& err);

}  // namespace edgeport
