#include "pipeline/jpeg_decoder.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <string>

#include "core/error.h"
#include "core/file_io.h"
#include "core/npy.h"
#include "core/temporary_directory.h"
#include "pipeline/image.h"
#include "pipeline/pil_resample.h"
#include "resize_fixtures.h"

namespace edgeport {
namespace {

// tests/fixtures/jpeg/, written by tools/make_jpeg_vectors.py with Pillow as
// the judge.
std::filesystem::path jpeg_fixture(const std::string& path) {
  const std::filesystem::path file(path);
  if (file.is_absolute()) return file;
  return std::filesystem::path(EDGEPORT_SOURCE_DIR) / "tests" / "fixtures" / "jpeg" / file;
}

nlohmann::json jpeg_manifest() {
  const std::filesystem::path path = jpeg_fixture("manifest.json");
  std::ifstream stream(path);
  if (!stream) throw Error(path.string() + ": cannot open; run tools/make_jpeg_vectors.py");
  return nlohmann::json::parse(stream);
}

void expect_pillow_pixels(const Image& actual, const std::string& expected_file) {
  testing::expect_pillow_bytes(actual, read_npy(jpeg_fixture(expected_file)));
}

std::string load_error(const std::filesystem::path& path) {
  try {
    load_image(path);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

// skimage's rocket.jpg (4:2:0 photo), 4:2:0 at an odd size, 4:2:2, 4:4:4,
// progressive, grey, Adobe CMYK, and a file lacking only its EOI marker that
// Pillow still decodes: each must be Pillow's convert("RGB") exactly.
TEST(JpegDecoder, MatchesPillowByteForByte) {
  const nlohmann::json cases = jpeg_manifest().at("decode");
  ASSERT_GE(cases.size(), 7u);
  for (const nlohmann::json& item : cases) {
    const std::string source = item.at("source");
    SCOPED_TRACE(source);
    expect_pillow_pixels(load_image(jpeg_fixture(source)), item.at("expected"));
  }
}

// What the model sees: the decoded photo through PIL's bicubic resize.
TEST(JpegDecoder, ResizedPhotoMatchesPillow) {
  const nlohmann::json cases = jpeg_manifest().at("resize");
  ASSERT_FALSE(cases.empty());
  for (const nlohmann::json& item : cases) {
    SCOPED_TRACE(item.at("expected").get<std::string>());
    const Image resized = pil_resize(load_image(jpeg_fixture(item.at("source"))), item.at("width"),
                                     item.at("height"), parse_resize_filter(item.at("filter")));
    expect_pillow_pixels(resized, item.at("expected"));
  }
}

// Every damaged file Pillow refuses gets one line naming it.
TEST(JpegDecoder, RefusesWhatPillowRefuses) {
  const nlohmann::json cases = jpeg_manifest().at("refuse");
  ASSERT_GE(cases.size(), 5u);
  for (const nlohmann::json& item : cases) {
    const std::filesystem::path path = jpeg_fixture(item.at("source"));
    SCOPED_TRACE(item.at("pillow_error").get<std::string>());
    const std::string message = load_error(path);
    EXPECT_EQ(message.rfind(path.string() + ": ", 0), 0u) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(JpegDecoder, ErrorsSayWhatIsWrong) {
  EXPECT_NE(load_error(jpeg_fixture("broken_cut_in_scan.jpg")).find("JPEG is truncated"), std::string::npos);
  EXPECT_NE(load_error(jpeg_fixture("broken_progressive_no_eoi.jpg")).find("JPEG is truncated"), std::string::npos);
  EXPECT_NE(load_error(jpeg_fixture("broken_garbage_after_soi.jpg")).find("cannot decode JPEG (libjpeg: "),
            std::string::npos);
  EXPECT_NE(load_error(jpeg_fixture("broken_empty.jpg")).find("empty file"), std::string::npos);
  const std::string bomb = load_error(jpeg_fixture("broken_20000x20000.jpg"));
  EXPECT_NE(bomb.find("20000x20000 = 400000000 pixels, over the limit of " + std::to_string(kDefaultMaxImagePixels)),
            std::string::npos)
      << bomb;
}

// The limit is read from the header, before any pixel is decoded.
TEST(JpegDecoder, AppliesTheLimitItIsGiven) {
  const std::vector<std::uint8_t> bytes = read_file_bytes(jpeg_fixture("chelsea_444_160x120.jpg"));
  EXPECT_THROW(decode_jpeg("small.jpg", bytes, 160 * 120 - 1), Error);
  EXPECT_EQ(decode_jpeg("small.jpg", bytes, 160 * 120).width, 160);
}

// PIL's Image.open goes by content, so must we.
TEST(JpegDecoder, FormatIsFoundFromContentNotExtension) {
  const TemporaryDirectory directory("jpeg-test");
  const std::filesystem::path renamed = directory.path() / "photo.png";
  std::filesystem::copy_file(jpeg_fixture("chelsea_422_160x120.jpg"), renamed);
  expect_pillow_pixels(load_image(renamed), "chelsea_422_160x120.npy");
}

TEST(JpegDecoder, RecognisesTheStartOfImageMarker) {
  EXPECT_TRUE(looks_like_jpeg(std::vector<std::uint8_t>{0xFF, 0xD8, 0xFF, 0xE0}));
  EXPECT_FALSE(looks_like_jpeg(std::vector<std::uint8_t>{0xFF, 0xD8}));
  EXPECT_FALSE(looks_like_jpeg(std::vector<std::uint8_t>{0x89, 'P', 'N', 'G'}));
}

}  // namespace
}  // namespace edgeport
