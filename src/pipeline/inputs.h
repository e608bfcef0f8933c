#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/graph.h"
#include "core/input_normalization.h"
#include "pipeline/resize_filter.h"

namespace edgeport {

// Standard-normal float32 values from a fixed generator, so every command and
// test given the same seed sees the same input on every machine.
Tensor seeded_random_input(const Shape& shape, std::uint64_t seed);

// An input for the graph's first input from a file: a .npy array (dtype and
// shape checked against the graph) or a PNG/JPEG image (resized as PIL does
// with `filter`, scaled to [0,1], normalised as the graph records, ImageNet's
// otherwise, and laid out NHWC for a graph whose interface records NHWC; see
// layout_adapter.h).
Tensor load_input(const std::filesystem::path& path, const Graph& graph,
                  ResizeFilter filter = ResizeFilter::Bicubic);

// Image files directly inside a directory, sorted by name.
std::vector<std::filesystem::path> list_images(const std::filesystem::path& directory);

// Whether the graph's single input takes one RGB image, [1,3,H,W] (or
// [1,H,W,3] with an NHWC interface).
bool takes_images(const Graph& graph);

// The bundled calibration photos (data/calibration): $EDGEPORT_CALIBRATION
// when set, else share/edgeport/calibration of an installed executable, else
// the checkout the executable was built from; an Error naming the places
// looked in when none holds them.
std::filesystem::path bundled_calibration_directory();

// PNG and JPEG files under `directory` at any depth (the bundled set without
// one), sorted by path. With count > 0, `count` of them evenly spaced in that
// order, starting at the first, so the same call always picks the same files.
// An Error when the directory holds no image or count is negative.
std::vector<std::filesystem::path> calibration_images(const std::optional<std::filesystem::path>& directory,
                                                      int count);

// One set of graph inputs, labelled for the report (e.g. "random seed 0",
// "tests/fixtures/models/astronaut_256.npy").
struct LabelledInputs {
  std::string label;
  std::vector<Tensor> tensors;  // one per graph input
};

// The seeded random inputs and the given files as labelled input sets for
// the graph's single input.
std::vector<LabelledInputs> make_input_sets(const Graph& graph, const std::vector<std::filesystem::path>& files,
                                            int random_inputs, std::uint64_t seed);

// The input sets as `model` takes them. When `model` takes raw pixels
// (fold_input_normalization) and `reference`, the model the sets were made
// for, records a normalisation, each [N,3,H,W] input goes back to pixel
// values: (x * std + mean) * 255. Otherwise the sets as they are.
std::vector<LabelledInputs> inputs_for(const Graph& model, const Graph& reference,
                                       const std::vector<LabelledInputs>& inputs);

}  // namespace edgeport
