#include "pipeline/heatmap.h"

#include <stb_image_write.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/file_io.h"
#include "pipeline/pil_resample.h"
#include "pipeline/text_raster.h"

namespace edgeport {

namespace {

constexpr int kShortestLongSide = 256;  // room for the caption on small photos
constexpr int kLongestLongSide = 1024;  // a phone photo need not become a 12-megapixel PNG
constexpr float kOpacity = 0.55f;
constexpr std::array<std::uint8_t, 3> kInk = {0, 0, 0};

// The photo's size with its longer side brought within the bounds above.
std::pair<int, int> display_size(const Image& photo) {
  const int longer = std::max(photo.width, photo.height);
  const double factor = static_cast<double>(std::clamp(longer, kShortestLongSide, kLongestLongSide)) / longer;
  return {std::max(1, static_cast<int>(std::lround(photo.width * factor))),
          std::max(1, static_cast<int>(std::lround(photo.height * factor)))};
}

// Blue (0) -> cyan -> green -> yellow -> red (1).
std::array<float, 3> ramp(float value) {
  static constexpr std::array<std::array<float, 3>, 5> kStops = {
      {{0, 0, 255}, {0, 255, 255}, {0, 255, 0}, {255, 255, 0}, {255, 0, 0}}};
  const float position = std::clamp(value, 0.0f, 1.0f) * 4.0f;
  const int low = std::min(3, static_cast<int>(position));
  const float t = position - static_cast<float>(low);
  std::array<float, 3> colour;
  for (int c = 0; c < 3; ++c) colour[c] = kStops[low][c] + t * (kStops[low + 1][c] - kStops[low][c]);
  return colour;
}

// Bilinear between the four patches around a fractional patch position,
// clamped to the grid at its edges.
float sample(const Tensor& positions, double row, double column) {
  const std::int64_t rows = positions.dim(0);
  const std::int64_t columns = positions.dim(1);
  const double y = std::clamp(row, 0.0, static_cast<double>(rows - 1));
  const double x = std::clamp(column, 0.0, static_cast<double>(columns - 1));
  const auto y0 = static_cast<std::int64_t>(y);
  const auto x0 = static_cast<std::int64_t>(x);
  const std::int64_t y1 = std::min(y0 + 1, rows - 1);
  const std::int64_t x1 = std::min(x0 + 1, columns - 1);
  const auto ty = static_cast<float>(y - static_cast<double>(y0));
  const auto tx = static_cast<float>(x - static_cast<double>(x0));
  const float* map = positions.data<float>();
  const float top = map[y0 * columns + x0] * (1 - tx) + map[y0 * columns + x1] * tx;
  const float bottom = map[y1 * columns + x0] * (1 - tx) + map[y1 * columns + x1] * tx;
  return top * (1 - ty) + bottom * ty;
}

std::uint8_t* pixel_at(Image& image, int x, int y) {
  return &image.rgb[(static_cast<std::size_t>(y) * image.width + x) * 3];
}

// Greedy word wrap; a word longer than the width stands on its own line.
std::vector<std::string> wrap(const std::vector<std::string>& lines, int width, int scale) {
  std::vector<std::string> wrapped;
  for (const std::string& line : lines) {
    std::string current;
    std::size_t start = 0;
    while (start <= line.size()) {
      const std::size_t end = std::min(line.find(' ', start), line.size());
      const std::string word = line.substr(start, end - start);
      const std::string candidate = current.empty() ? word : current + " " + word;
      if (!current.empty() && text_width(candidate, scale) > width) {
        wrapped.push_back(current);
        current = word;
      } else {
        current = candidate;
      }
      start = end + 1;
    }
    wrapped.push_back(current);
  }
  return wrapped;
}

// patch_coordinate of every display pixel along one axis.
std::vector<double> patch_coordinates(int shown, std::int64_t input, std::int64_t patches) {
  std::vector<double> coordinates(static_cast<std::size_t>(shown));
  for (int pixel = 0; pixel < shown; ++pixel) {
    coordinates[static_cast<std::size_t>(pixel)] = patch_coordinate(pixel, shown, input, patches);
  }
  return coordinates;
}

void draw_overlay(Heatmap& heatmap, const Image& shown, std::int64_t input_height, std::int64_t input_width,
                  const Tensor& positions) {
  const std::vector<double> rows = patch_coordinates(shown.height, input_height, positions.dim(0));
  const std::vector<double> columns = patch_coordinates(shown.width, input_width, positions.dim(1));
  for (int y = 0; y < shown.height; ++y) {
    for (int x = 0; x < shown.width; ++x) {
      const auto colour =
          ramp(sample(positions, rows[static_cast<std::size_t>(y)], columns[static_cast<std::size_t>(x)]));
      const std::uint8_t* source = &shown.rgb[(static_cast<std::size_t>(y) * shown.width + x) * 3];
      std::uint8_t* target = pixel_at(heatmap.canvas, x, y);
      for (int c = 0; c < 3; ++c) {
        target[c] = static_cast<std::uint8_t>(std::lround((1 - kOpacity) * source[c] + kOpacity * colour[c]));
      }
    }
  }
}

void draw_bar(Heatmap& heatmap, const ScaledPatchMap& map, int scale) {
  const PixelRect& bar = heatmap.bar;
  for (int y = bar.top; y < bar.top + bar.height; ++y) {
    const auto colour = ramp(1.0f - static_cast<float>(y - bar.top) / static_cast<float>(std::max(1, bar.height - 1)));
    for (int x = bar.left; x < bar.left + bar.width; ++x) {
      std::uint8_t* target = pixel_at(heatmap.canvas, x, y);
      for (int c = 0; c < 3; ++c) target[c] = static_cast<std::uint8_t>(std::lround(colour[c]));
    }
  }
  const int left = bar.left + bar.width + 3 * scale;
  const int line = text_line_height(scale);
  draw_text(heatmap.canvas, left, bar.top, map.bar_labels[0], scale, kInk);
  draw_text(heatmap.canvas, left, bar.top + (bar.height - line) / 2, map.bar_labels[1], scale, kInk);
  draw_text(heatmap.canvas, left, bar.top + bar.height - line, map.bar_labels[2], scale, kInk);
}

}  // namespace

double patch_coordinate(int pixel, int shown, std::int64_t input, std::int64_t patches) {
  const std::int64_t stride = std::max<std::int64_t>(1, input / patches);
  const double offset = 0.5 * static_cast<double>(input - 1 - stride * (patches - 1));
  // PIL's resize maps pixel centres linearly, so does showing the photo at
  // another size: display pixel -> photo -> model input compose to one map.
  const double input_position = (pixel + 0.5) * static_cast<double>(input) / shown - 0.5;
  return (input_position - offset) / static_cast<double>(stride);
}

Heatmap draw_heatmap(const Image& photo, std::int64_t input_height, std::int64_t input_width,
                     const ScaledPatchMap& map, const std::vector<std::string>& caption) {
  if (map.positions.rank() != 2) throw Error("heatmap: expected a 2-d patch map");
  const auto [shown_width, shown_height] = display_size(photo);
  const Image shown = shown_width == photo.width && shown_height == photo.height
                          ? photo
                          : pil_resize(photo, shown_width, shown_height, ResizeFilter::Bicubic);
  const int scale = shown_width >= 600 ? 2 : 1;
  const int gap = 6 * scale;
  int label_width = 0;
  for (const std::string& label : map.bar_labels) label_width = std::max(label_width, text_width(label, scale));

  Heatmap heatmap;
  heatmap.map = {0, 0, shown_width, shown_height};
  heatmap.bar = {shown_width + gap, 0, 14 * scale, shown_height};
  const int width = heatmap.bar.left + heatmap.bar.width + 3 * scale + label_width + gap;
  const std::vector<std::string> lines = wrap(caption, width - 2 * gap, scale);
  const int caption_height = gap + static_cast<int>(lines.size()) * text_line_height(scale) + gap;
  heatmap.caption = {0, shown_height, width, caption_height};
  heatmap.canvas = Image{width, shown_height + caption_height, {}};
  heatmap.canvas.rgb.assign(static_cast<std::size_t>(width) * heatmap.canvas.height * 3, 255);

  draw_overlay(heatmap, shown, input_height, input_width, map.positions);
  draw_bar(heatmap, map, scale);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    draw_text(heatmap.canvas, gap, shown_height + gap + static_cast<int>(i) * text_line_height(scale), lines[i], scale,
              kInk);
  }
  return heatmap;
}

void write_heatmap_png(const std::filesystem::path& path, const Heatmap& heatmap) {
  const Image& canvas = heatmap.canvas;
  std::vector<std::uint8_t> encoded;
  auto append = [](void* context, void* data, int size) {
    auto* bytes = static_cast<std::vector<std::uint8_t>*>(context);
    bytes->insert(bytes->end(), static_cast<std::uint8_t*>(data), static_cast<std::uint8_t*>(data) + size);
  };
  if (!stbi_write_png_to_func(append, &encoded, canvas.width, canvas.height, 3, canvas.rgb.data(), canvas.width * 3)) {
    throw Error(path.string() + ": PNG encoding failed");
  }
  write_file_atomically(path, encoded);
}

}  // namespace edgeport
