#include "pipeline/image.h"

#include <stb_image.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <limits>
#include <string>

#include "core/error.h"
#include "core/file_io.h"
#include "pipeline/image_format.h"
#include "pipeline/jpeg_decoder.h"
#include "pipeline/pil_resample.h"

namespace edgeport {

namespace {

std::atomic<std::uint64_t> image_pixel_limit{kDefaultMaxImagePixels};

}  // namespace

void set_max_image_pixels(std::uint64_t pixels) { image_pixel_limit = pixels; }

std::uint64_t max_image_pixels() { return image_pixel_limit; }

bool is_image_path(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  return extension == ".png" || extension == ".jpg" || extension == ".jpeg";
}

Image load_image(const std::filesystem::path& path) {
  const std::vector<std::uint8_t> bytes = read_file_bytes(path);
  if (bytes.empty()) throw Error(path.string() + ": empty file, not an image");
  // By content, not extension, as PIL's Image.open does.
  const std::uint64_t limit = max_image_pixels();
  if (looks_like_jpeg(bytes)) return decode_jpeg(path, bytes, limit);
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw Error(path.string() + ": image file is larger than 2 GiB");
  }
  int width = 0;
  int height = 0;
  int channels = 0;
  // stb reads the dimensions from the header without decoding; an image it
  // cannot size, it cannot decode either.
  if (!stbi_info_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height, &channels)) {
    throw Error(path.string() + ": " + describe_undecodable(bytes, stbi_failure_reason()));
  }
  if (static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) > limit) {
    throw Error(path.string() + ": image is " + std::to_string(width) + "x" + std::to_string(height) +
                " pixels, over the limit of " + std::to_string(limit) + " (--max-image-pixels)");
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

}  // namespace edgeport
