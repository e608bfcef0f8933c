#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace edgeport {

// What a file's first bytes say it holds, whatever its name ends with: a
// photo saved as .jpg may really be a PNG, a WebP or an HTML error page.
// "PNG", "JPEG", "GIF", "BMP", "WebP", "TIFF", "HEIF/AVIF", "PDF", "text"
// (printable ASCII or UTF-8, e.g. HTML), or "" when the bytes match none.
std::string sniff_image_format(std::span<const std::uint8_t> bytes);

// The reason a file could not be decoded, for an error line after its path:
// "corrupt PNG data (stb_image: outofdata)" when the bytes announce a format
// the decoder reads, "the file holds WebP data (by its first bytes), which
// edgeport does not read; PNG and JPEG are read" otherwise, or with the
// first bytes in hex when no format is recognised.
std::string describe_undecodable(std::span<const std::uint8_t> bytes, const std::string& decoder_reason);

}  // namespace edgeport
