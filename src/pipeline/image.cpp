#include "pipeline/image.h"

#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "core/error.h"
#include "core/file_io.h"
#include "pipeline/image_format.h"
#include "pipeline/jpeg_decoder.h"
#include "pipeline/pil_resample.h"

namespace edgeport {

namespace {

// PIL's Image.MAX_IMAGE_PIXELS, above which it warns of a decompression bomb;
// an image this large is no photo for a 256x256 model.
constexpr std::uint64_t kMaxImagePixels = 1024 * 1024 * 1024 / 4 / 3;

}  // namespace

bool is_image_path(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  return extension == ".png" || extension == ".jpg" || extension == ".jpeg";
}

Image load_image(const std::filesystem::path& path) {
  const std::vector<std::uint8_t> bytes = read_file_bytes(path);
  if (bytes.empty()) throw Error(path.string() + ": empty file, not an image");
  // By content, not extension, as PIL's Image.open does.
  if (looks_like_jpeg(bytes)) return decode_jpeg(path, bytes, kMaxImagePixels);
  int width = 0;
  int height = 0;
  int channels = 0;
  if (stbi_info_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height, &channels) &&
      static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) > kMaxImagePixels) {
    throw Error(path.string() + ": image is " + std::to_string(width) + "x" + std::to_string(height) +
                " pixels, over the limit of " + std::to_string(kMaxImagePixels));
  }
  std::uint8_t* pixels = stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height,
                                               &channels, 3);
  if (!pixels) throw Error(path.string() + ": " + describe_undecodable(bytes, stbi_failure_reason()));
  Image image{width, height, std::vector<std::uint8_t>(pixels, pixels + static_cast<std::size_t>(width) * height * 3)};
  stbi_image_free(pixels);
  return image;
}

Tensor image_to_input(const Image& image, std::int64_t height, std::int64_t width, const std::array<float, 3>& mean,
                      const std::array<float, 3>& std, ResizeFilter filter) {
  const Image resized = pil_resize(image, static_cast<int>(width), static_cast<int>(height), filter);
  Tensor input(DType::Float32, {1, 3, height, width});
  float* data = input.data<float>();
  const std::size_t area = static_cast<std::size_t>(width * height);
  for (std::size_t channel = 0; channel < 3; ++channel) {
    for (std::size_t pixel = 0; pixel < area; ++pixel) {
      // ToTensor divides by 255, Normalize subtracts then divides, each result
      // rounded to float32; multiplying by 1/255 would not be bit-equal.
      const float scaled = static_cast<float>(resized.rgb[pixel * 3 + channel]) / 255.0f;
      data[channel * area + pixel] = (scaled - mean[channel]) / std[channel];
    }
  }
  return input;
}

namespace {

// Blue (0) -> cyan -> green -> yellow -> red (1).
std::array<float, 3> ramp(float value) {
  static constexpr std::array<std::array<float, 3>, 5> kStops = {
      {{0, 0, 255}, {0, 255, 255}, {0, 255, 0}, {255, 255, 0}, {255, 0, 0}}};
  const float position = std::clamp(value, 0.0f, 1.0f) * 4.0f;
  const int low = std::min(3, static_cast<int>(position));
  const float t = position - static_cast<float>(low);
  std::array<float, 3> colour;
  for (int c = 0; c < 3; ++c) {
    colour[c] = kStops[low][c] + t * (kStops[low + 1][c] - kStops[low][c]);
  }
  return colour;
}

// Bilinear sample of a [h,w] map at pixel centres of a width x height image.
float sample_map(const float* map, std::int64_t map_h, std::int64_t map_w, int x, int y, int width, int height) {
  const float fx = std::clamp((static_cast<float>(x) + 0.5f) * map_w / width - 0.5f, 0.0f, map_w - 1.0f);
  const float fy = std::clamp((static_cast<float>(y) + 0.5f) * map_h / height - 0.5f, 0.0f, map_h - 1.0f);
  const auto x0 = static_cast<std::int64_t>(fx);
  const auto y0 = static_cast<std::int64_t>(fy);
  const std::int64_t x1 = std::min(x0 + 1, map_w - 1);
  const std::int64_t y1 = std::min(y0 + 1, map_h - 1);
  const float tx = fx - static_cast<float>(x0);
  const float ty = fy - static_cast<float>(y0);
  const float top = map[y0 * map_w + x0] * (1 - tx) + map[y0 * map_w + x1] * tx;
  const float bottom = map[y1 * map_w + x0] * (1 - tx) + map[y1 * map_w + x1] * tx;
  return top * (1 - ty) + bottom * ty;
}

// 3x5 glyphs for the scale's labels "0", "0.5" and "1".
void draw_label(Image& canvas, int left, int top, const std::string& text) {
  static const std::map<char, std::array<const char*, 5>> kGlyphs = {
      {'0', {"###", "#.#", "#.#", "#.#", "###"}},
      {'1', {".#.", "##.", ".#.", ".#.", "###"}},
      {'5', {"###", "#..", "###", "..#", "###"}},
      {'.', {"...", "...", "...", "...", ".#."}},
  };
  constexpr int kScale = 2;
  int cursor = left;
  for (char character : text) {
    const auto& glyph = kGlyphs.at(character);
    for (int row = 0; row < 5; ++row) {
      for (int column = 0; column < 3; ++column) {
        if (glyph[static_cast<std::size_t>(row)][column] != '#') continue;
        for (int dy = 0; dy < kScale; ++dy) {
          for (int dx = 0; dx < kScale; ++dx) {
            const int x = cursor + column * kScale + dx;
            const int y = top + row * kScale + dy;
            if (x < 0 || y < 0 || x >= canvas.width || y >= canvas.height) continue;
            std::uint8_t* pixel = &canvas.rgb[(static_cast<std::size_t>(y) * canvas.width + x) * 3];
            pixel[0] = pixel[1] = pixel[2] = 0;
          }
        }
      }
    }
    cursor += 4 * kScale;
  }
}

}  // namespace

void write_heatmap_png(const std::filesystem::path& path, const Image& base, const Tensor& probabilities) {
  if (probabilities.rank() != 2) throw Error("heatmap expects a 2-d probability map");
  constexpr int kBarGap = 8;
  constexpr int kBarWidth = 16;
  constexpr int kLabelWidth = 32;
  constexpr float kOpacity = 0.55f;
  Image canvas{base.width + kBarGap + kBarWidth + kLabelWidth, base.height, {}};
  canvas.rgb.assign(static_cast<std::size_t>(canvas.width) * canvas.height * 3, 255);
  const float* map = probabilities.data<float>();
  for (int y = 0; y < base.height; ++y) {
    for (int x = 0; x < base.width; ++x) {
      const auto colour =
          ramp(sample_map(map, probabilities.dim(0), probabilities.dim(1), x, y, base.width, base.height));
      const std::uint8_t* source = &base.rgb[(static_cast<std::size_t>(y) * base.width + x) * 3];
      std::uint8_t* target = &canvas.rgb[(static_cast<std::size_t>(y) * canvas.width + x) * 3];
      for (int c = 0; c < 3; ++c) {
        target[c] = static_cast<std::uint8_t>(std::lround((1 - kOpacity) * source[c] + kOpacity * colour[c]));
      }
    }
  }
  const int bar_left = base.width + kBarGap;
  for (int y = 0; y < canvas.height; ++y) {
    const auto colour = ramp(1.0f - static_cast<float>(y) / std::max(1, canvas.height - 1));
    for (int x = bar_left; x < bar_left + kBarWidth; ++x) {
      std::uint8_t* target = &canvas.rgb[(static_cast<std::size_t>(y) * canvas.width + x) * 3];
      for (int c = 0; c < 3; ++c) target[c] = static_cast<std::uint8_t>(std::lround(colour[c]));
    }
  }
  const int label_left = bar_left + kBarWidth + 3;
  draw_label(canvas, label_left, 1, "1");
  draw_label(canvas, label_left, canvas.height / 2 - 5, "0.5");
  draw_label(canvas, label_left, canvas.height - 11, "0");

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
