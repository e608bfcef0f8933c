#include "pipeline/inputs.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numbers>
#include <random>

#include "core/error.h"
#include "core/input_normalization.h"
#include "core/npy.h"
#include "pipeline/image.h"
#include "pipeline/layout_adapter.h"

namespace edgeport {

Tensor seeded_random_input(const Shape& shape, std::uint64_t seed) {
  Tensor tensor(DType::Float32, shape);
  std::mt19937_64 generator(seed);
  // Box-Muller on the raw generator output: std::normal_distribution is not
  // specified bit-for-bit across standard libraries.
  auto uniform = [&generator] { return (static_cast<double>(generator() >> 11) + 0.5) / 9007199254740992.0; };
  std::span<float> values = tensor.values<float>();
  for (std::size_t i = 0; i < values.size(); i += 2) {
    const double radius = std::sqrt(-2.0 * std::log(uniform()));
    const double angle = 2.0 * std::numbers::pi * uniform();
    values[i] = static_cast<float>(radius * std::cos(angle));
    if (i + 1 < values.size()) values[i + 1] = static_cast<float>(radius * std::sin(angle));
  }
  return tensor;
}

namespace {

constexpr Normalization kImageNet{{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};

}  // namespace

Tensor load_input(const std::filesystem::path& path, const Graph& graph, ResizeFilter filter) {
  if (graph.inputs.empty()) throw Error("the model has no inputs");
  const Value& input = graph.value(graph.inputs.front());
  if (is_image_path(path)) {
    const std::optional<ImageInputLayout> layout = image_input_layout(graph);
    if (!layout) {
      throw Error(path.string() + ": an image input needs a model taking [N,3,H,W] (or [N,H,W,3] from a TFLite " +
                  "file written with --layout nhwc), this one takes " + shape_to_string(input.shape));
    }
    const Normalization normalization = graph_normalization(graph).value_or(kImageNet);
    Tensor tensor = image_to_input(load_image(path), layout->height, layout->width, normalization.mean,
                                   normalization.std, filter);
    if (layout->batch != 1) throw Error(path.string() + ": one image given, the model takes a batch of " +
                                        std::to_string(layout->batch));
    // The same pixels in the order the file's interface takes them.
    return layout->nhwc ? tensor.permuted({0, 2, 3, 1}) : tensor;
  }
  Tensor tensor = read_npy(path);
  if (tensor.dtype() != input.dtype) {
    throw Error(path.string() + ": array is " + std::string(dtype_name(tensor.dtype())) + ", the model's input '" +
                input.name + "' takes " + std::string(dtype_name(input.dtype)));
  }
  if (tensor.shape() != input.shape) {
    throw Error(path.string() + ": array has shape " + shape_to_string(tensor.shape()) + ", the model's input '" +
                input.name + "' takes " + shape_to_string(input.shape));
  }
  return tensor;
}

std::vector<std::filesystem::path> list_images(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> images;
  std::error_code status;
  for (const auto& entry : std::filesystem::directory_iterator(directory, status)) {
    if (entry.is_regular_file() && is_image_path(entry.path())) images.push_back(entry.path());
  }
  if (status) throw Error(directory.string() + ": cannot list (" + status.message() + ")");
  std::sort(images.begin(), images.end());
  return images;
}

bool takes_images(const Graph& graph) {
  const std::optional<ImageInputLayout> layout = image_input_layout(graph);
  return layout && layout->batch == 1;
}

std::filesystem::path bundled_calibration_directory() {
  if (const char* configured = std::getenv("EDGEPORT_CALIBRATION")) {
    if (!std::filesystem::is_directory(configured)) {
      throw Error(std::string(configured) + ": EDGEPORT_CALIBRATION is not a directory");
    }
    return configured;
  }
  std::error_code status;
  const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", status);
  std::vector<std::filesystem::path> candidates;
  // Installed (cmake --install), then a build folder inside the checkout, then the checkout it was built from.
  if (!status) {
    candidates.push_back(executable.parent_path() / ".." / "share" / "edgeport" / "calibration");
    candidates.push_back(executable.parent_path() / ".." / "data" / "calibration");
  }
  candidates.emplace_back(std::string(EDGEPORT_SOURCE_DIR) + "/data/calibration");
  std::string looked;
  for (const auto& candidate : candidates) {
    if (std::filesystem::is_directory(candidate, status)) {
      // Relative to the working directory when below it, so that reports
      // name the photos as the user would type them.
      const std::filesystem::path found = std::filesystem::weakly_canonical(candidate, status);
      const std::filesystem::path relative = found.lexically_relative(std::filesystem::current_path(status));
      return status || relative.empty() || *relative.begin() == ".." ? found : relative;
    }
    looked += (looked.empty() ? "" : ", ") + candidate.lexically_normal().string();
  }
  throw Error("the bundled calibration photos were not found (looked in " + looked +
              "); set EDGEPORT_CALIBRATION or pass --calibration-dir");
}

std::vector<std::filesystem::path> calibration_images(const std::optional<std::filesystem::path>& directory,
                                                      int count) {
  if (count < 0) throw Error("--calibration-count must not be negative, got " + std::to_string(count));
  const std::filesystem::path root = directory ? *directory : bundled_calibration_directory();
  std::vector<std::filesystem::path> images;
  std::error_code status;
  for (std::filesystem::recursive_directory_iterator entry(root, status), end; !status && entry != end;
       entry.increment(status)) {
    if (entry->is_regular_file() && is_image_path(entry->path())) images.push_back(entry->path());
  }
  if (status) throw Error(root.string() + ": cannot list (" + status.message() + ")");
  if (images.empty()) {
    throw Error(root.string() + ": no PNG or JPEG images in the calibration directory" +
                (directory ? " (--calibration-dir)" : " (the bundled set)"));
  }
  std::sort(images.begin(), images.end());
  if (count == 0 || static_cast<std::size_t>(count) >= images.size()) return images;
  std::vector<std::filesystem::path> picked;
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
    picked.push_back(images[i * images.size() / static_cast<std::size_t>(count)]);
  }
  return picked;
}

std::vector<LabelledInputs> make_input_sets(const Graph& graph, const std::vector<std::filesystem::path>& files,
                                            int random_inputs, std::uint64_t seed) {
  if (graph.inputs.size() != 1) {
    throw Error("models with " + std::to_string(graph.inputs.size()) + " inputs are not supported here");
  }
  std::vector<LabelledInputs> sets;
  for (int i = 0; i < random_inputs; ++i) {
    const std::uint64_t input_seed = seed + static_cast<std::uint64_t>(i);
    sets.push_back({"random seed " + std::to_string(input_seed),
                    {seeded_random_input(graph.value(graph.inputs.front()).shape, input_seed)}});
  }
  for (const auto& file : files) sets.push_back({file.string(), {load_input(file, graph)}});
  if (sets.empty()) throw Error("no inputs to compare on");
  return sets;
}

namespace {

Tensor to_pixels(const Tensor& normalized, const Normalization& normalization) {
  const Shape& shape = normalized.shape();
  if (normalized.dtype() != DType::Float32 || shape.size() != 4 || shape[1] != 3) {
    throw Error("an input of shape " + shape_to_string(shape) + " is not a float32 [N,3,H,W] image to turn into pixels");
  }
  Tensor pixels = normalized;
  std::span<float> values = pixels.values<float>();
  const std::int64_t plane = shape[2] * shape[3];
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto channel = static_cast<std::size_t>((static_cast<std::int64_t>(i) / plane) % 3);
    values[i] = static_cast<float>(
        (static_cast<double>(values[i]) * normalization.std[channel] + normalization.mean[channel]) * 255.0);
  }
  return pixels;
}

}  // namespace

std::vector<LabelledInputs> inputs_for(const Graph& model, const Graph& reference,
                                       const std::vector<LabelledInputs>& inputs) {
  const std::optional<Normalization> normalization = graph_normalization(reference);
  if (!takes_raw_pixels(model) || takes_raw_pixels(reference) || !normalization) return inputs;
  std::vector<LabelledInputs> pixels;
  for (const LabelledInputs& set : inputs) {
    LabelledInputs converted{set.label, {}};
    for (const Tensor& tensor : set.tensors) converted.tensors.push_back(to_pixels(tensor, *normalization));
    pixels.push_back(std::move(converted));
  }
  return pixels;
}

}  // namespace edgeport
