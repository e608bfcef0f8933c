#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "core/file_io.h"
#include "pipeline/image.h"
#include "pipeline/image_format.h"
#include "../test_scratch.h"

namespace edgeport {
namespace {

const std::string kSourceDir = EDGEPORT_SOURCE_DIR;

std::vector<std::uint8_t> bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

std::string load_error(const std::filesystem::path& path) {
  try {
    load_image(path);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

// Real files are told by their bytes.
TEST(ImageFormat, RealFilesAreToldByTheirBytes) {
  EXPECT_EQ(sniff_image_format(read_file_bytes(kSourceDir + "/data/calibration/chelsea.png")), "PNG");
  EXPECT_EQ(sniff_image_format(read_file_bytes("/usr/lib/python3/dist-packages/skimage/data/rocket.jpg")), "JPEG");
  EXPECT_EQ(sniff_image_format(read_file_bytes(kSourceDir + "/CMakeLists.txt")), "text");
  EXPECT_EQ(sniff_image_format(read_file_bytes(kSourceDir + "/models/tiny_ladeda_sample.pt")), "");
}

// The signatures of the formats a photo folder may hold under a wrong name
// (each format's specification: GIF87a/89a, RIFF....WEBP, II*\0, ftyp at 4).
TEST(ImageFormat, OtherFormatsAreNamed) {
  EXPECT_EQ(sniff_image_format(bytes_of("GIF89a\x01\x00\x01\x00")), "GIF");
  EXPECT_EQ(sniff_image_format(bytes_of(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16))), "WebP");
  EXPECT_EQ(sniff_image_format(bytes_of(std::string("II*\0\x08\0\0\0", 8))), "TIFF");
  EXPECT_EQ(sniff_image_format(bytes_of(std::string("\0\0\0\x18" "ftypheic", 12))), "HEIF/AVIF");
  EXPECT_EQ(sniff_image_format({}), "");
}

// The error names the format the bytes hold, not the one the name claims:
// a PNG cut short and saved as .jpg is corrupt PNG data; an HTML page saved
// as .png is text.
TEST(ImageFormat, DecodeErrorsNameTheFormatOfTheBytes) {
  const auto folder = testing::fresh_test_folder("pipeline", "image-format");
  std::vector<std::uint8_t> png = read_file_bytes(kSourceDir + "/data/calibration/coffee.png");
  png.resize(png.size() / 10);
  write_file_atomically(folder / "photo.jpg", png);
  const std::string png_error = load_error(folder / "photo.jpg");
  EXPECT_NE(png_error.find("photo.jpg: corrupt PNG data"), std::string::npos) << png_error;
  EXPECT_EQ(png_error.find("JPEG"), std::string::npos) << png_error;

  write_file_atomically(folder / "page.png", std::string("<html><body>404 Not Found</body></html>\n"));
  const std::string text_error = load_error(folder / "page.png");
  EXPECT_NE(text_error.find("page.png: the file holds text, not an image (it begins \"<html><body>404"),
            std::string::npos)
      << text_error;

  write_file_atomically(folder / "animation.jpg", std::string("RIFF\x10\0\0\0WEBPVP8 ", 16));
  const std::string webp_error = load_error(folder / "animation.jpg");
  EXPECT_NE(webp_error.find("holds WebP data"), std::string::npos) << webp_error;
}

}  // namespace
}  // namespace edgeport
