#include "pipeline/image_format.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace edgeport {

namespace {

bool starts_with(std::span<const std::uint8_t> bytes, std::string_view prefix, std::size_t at = 0) {
  if (bytes.size() < at + prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at),
                    [](char expected, std::uint8_t actual) { return static_cast<std::uint8_t>(expected) == actual; });
}

// Printable ASCII and whitespace, or bytes of UTF-8 sequences, over the first
// 64 bytes: what an HTML page or a JSON error saved under a photo's name is.
bool looks_like_text(std::span<const std::uint8_t> bytes) {
  const std::size_t count = std::min<std::size_t>(bytes.size(), 64);
  if (count == 0) return false;
  return std::all_of(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(count), [](std::uint8_t byte) {
    return byte == '\t' || byte == '\n' || byte == '\r' || (byte >= 0x20 && byte != 0x7F);
  });
}

std::string first_bytes_hex(std::span<const std::uint8_t> bytes) {
  std::string text;
  for (std::size_t i = 0; i < bytes.size() && i < 8; ++i) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%02x", bytes[i]);
    if (i > 0) text += ' ';
    text += hex;
  }
  return text;
}

// Up to 24 characters of a text file, its line breaks shown as spaces.
std::string first_characters(std::span<const std::uint8_t> bytes) {
  std::string text;
  for (std::size_t i = 0; i < bytes.size() && i < 24; ++i) {
    text += bytes[i] < 0x20 ? ' ' : static_cast<char>(bytes[i]);
  }
  return text;
}

}  // namespace

std::string sniff_image_format(std::span<const std::uint8_t> bytes) {
  if (starts_with(bytes, "\x89PNG\r\n\x1a\n")) return "PNG";
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return "JPEG";
  if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) return "GIF";
  if (starts_with(bytes, "BM")) return "BMP";
  if (starts_with(bytes, "RIFF") && starts_with(bytes, "WEBP", 8)) return "WebP";
  if (starts_with(bytes, std::string_view("II*\0", 4)) || starts_with(bytes, std::string_view("MM\0*", 4))) {
    return "TIFF";
  }
  if (starts_with(bytes, "ftyp", 4)) return "HEIF/AVIF";
  if (starts_with(bytes, "%PDF")) return "PDF";
  if (looks_like_text(bytes)) return "text";
  return "";
}

std::string describe_undecodable(std::span<const std::uint8_t> bytes, const std::string& decoder_reason) {
  const std::string format = sniff_image_format(bytes);
  // load_image hands these to stb_image (JPEGs go to libjpeg, which names
  // its own errors); the others it cannot read.
  if (format == "PNG" || format == "GIF" || format == "BMP") {
    return "corrupt " + format + " data (stb_image: " + decoder_reason + ")";
  }
  if (format == "text") return "the file holds text, not an image (it begins \"" + first_characters(bytes) + "\")";
  if (!format.empty()) {
    return "the file holds " + format + " data (by its first bytes), which edgeport does not read; PNG and JPEG are read";
  }
  return "not a PNG or JPEG file (it begins " + first_bytes_hex(bytes) + " in hex; stb_image: " + decoder_reason + ")";
}

}  // namespace edgeport
