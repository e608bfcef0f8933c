#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/tensor.h"

namespace edgeport {

// 8-bit RGB, row-major, 3 bytes per pixel.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;
};

// PNG or JPEG (any channel count; grey and alpha are converted to RGB).
Image load_image(const std::filesystem::path& path);
bool is_image_path(const std::filesystem::path& path);

// PyTorch's F.interpolate(mode="bicubic", align_corners=False) on an NCHW
// float tensor: cubic convolution with A=-0.75, borders clamped.
Tensor resize_bicubic(const Tensor& nchw, std::int64_t out_height, std::int64_t out_width);

// The model input for an image: bicubic resize to height x width, scale to
// [0,1], then (x - mean) / std per channel. Returns [1,3,height,width].
Tensor image_to_input(const Image& image, std::int64_t height, std::int64_t width, const std::array<float, 3>& mean,
                      const std::array<float, 3>& std);

// The image resized (bicubic, clamped to 0..255) for display.
Image resize_image(const Image& image, int width, int height);

// Writes the probability map (values in [0,1], [h,w]) upsampled over the image,
// blended with a blue-to-red colour ramp, with a colour scale bar on the right.
void write_heatmap_png(const std::filesystem::path& path, const Image& base, const Tensor& probabilities);

}  // namespace edgeport
