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
// results equal Pillow's. Refuses images over PIL's decompression-bomb
// threshold (89478485 pixels) before decoding them.
Image load_image(const std::filesystem::path& path);
bool is_image_path(const std::filesystem::path& path);

// The model input for an image, as the user's PIL + torchvision pipeline makes
// it: PIL's uint8 resize to height x width with the given filter, ToTensor's
// float32 x / 255, then Normalize's (x - mean) / std per channel. Returns
// [1,3,height,width].
Tensor image_to_input(const Image& image, std::int64_t height, std::int64_t width, const std::array<float, 3>& mean,
                      const std::array<float, 3>& std, ResizeFilter filter);

}  // namespace edgeport
