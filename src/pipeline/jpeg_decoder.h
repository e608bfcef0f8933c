#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

#include "pipeline/image.h"

namespace edgeport {

// Pillow's test for a JPEG (JpegImagePlugin._accept): the SOI marker followed
// by the first byte of another marker.
bool looks_like_jpeg(std::span<const std::uint8_t> bytes);

// Decodes JPEG bytes to the pixels of Pillow's Image.open(path).convert("RGB"):
// the system libjpeg-turbo, which Debian's Pillow links, with its default
// settings (islow DCT, fancy upsampling); grey expanded to
// R=G=B; CMYK and YCCK read with Adobe's inverted convention and turned into
// RGB by Pillow's cmyk2rgb. Refuses, with one line naming `path`, corrupt
// data, files that end before the last scan line (as Pillow does unless
// LOAD_TRUNCATED_IMAGES), and headers declaring more than max_pixels pixels,
// checked before any pixel memory is allocated.
Image decode_jpeg(const std::filesystem::path& path, std::span<const std::uint8_t> bytes, std::uint64_t max_pixels);

}  // namespace edgeport
