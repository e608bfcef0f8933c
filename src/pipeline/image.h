#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/tensor.h"
#include "pipeline/resize_filter.h"

namespace edgeport {

// 8-bit RGB, row-major, 3 bytes per pixel.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;
};

// The pixels of PIL's Image.open(path).convert("RGB"), the format found from
// the content: JPEG through libjpeg-turbo as Pillow decodes it (see
// jpeg_decoder.h), anything else (PNG) through stb_image, whose 8-bit
// results equal Pillow's. Refuses an image of more than max_image_pixels()
// pixels from its header, before decoding it.
Image load_image(const std::filesystem::path& path);

// The pixel limit of load_image. The default, 64 Mi pixels, takes any camera
// photo up to 64 megapixels while its decoded RGB stays under 200 MiB; a
// small file declaring more is a decompression bomb. --max-image-pixels sets
// it for the process.
inline constexpr std::uint64_t kDefaultMaxImagePixels = std::uint64_t{64} << 20;
void set_max_image_pixels(std::uint64_t pixels);
std::uint64_t max_image_pixels();
bool is_image_path(const std::filesystem::path& path);

// The model input for an image, as the user's PIL + torchvision pipeline makes
// it: PIL's uint8 resize to height x width with the given filter, ToTensor's
// float32 x / 255, then Normalize's (x - mean) / std per channel. Returns
// [1,3,height,width].
Tensor image_to_input(const Image& image, std::int64_t height, std::int64_t width, const std::array<float, 3>& mean,
                      const std::array<float, 3>& std, ResizeFilter filter);

}  // namespace edgeport
