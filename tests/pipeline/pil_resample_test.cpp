#include "pipeline/pil_resample.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/error.h"
#include "core/npy.h"
#include "resize_fixtures.h"

namespace edgeport {
namespace {

using testing::expect_pillow_bytes;
using testing::resize_fixture;
using testing::resize_manifest;

// Every case of the manifest: photos shrunk to 256x256 and to a non-square
// size, a 40x30 crop blown up to 256x256, and clipped noise to odd sizes,
// each with both filters, must give Pillow's bytes exactly.
TEST(PilResize, MatchesPillowByteForByte) {
  const nlohmann::json cases = resize_manifest().at("resize");
  ASSERT_GE(cases.size(), 8u);
  for (const nlohmann::json& item : cases) {
    const std::string expected_file = item.at("expected");
    SCOPED_TRACE(expected_file);
    const int width = item.at("width");
    const int height = item.at("height");
    const Tensor expected = read_npy(resize_fixture(expected_file));
    ASSERT_EQ(expected.dtype(), DType::UInt8);
    ASSERT_EQ(expected.shape(), (Shape{height, width, 3}));
    const Image actual = pil_resize(load_image(resize_fixture(item.at("source"))), width, height,
                                    parse_resize_filter(item.at("filter")));
    ASSERT_EQ(actual.width, width);
    ASSERT_EQ(actual.height, height);
    expect_pillow_bytes(actual, expected);
  }
}

TEST(PilResize, RejectsEmptySizes) {
  const Image pixel{1, 1, {10, 20, 30}};
  EXPECT_THROW(pil_resize(pixel, 0, 4, ResizeFilter::Bicubic), Error);
  EXPECT_THROW(pil_resize(Image{}, 4, 4, ResizeFilter::Bilinear), Error);
}

TEST(PilResize, FilterNamesAreValidated) {
  EXPECT_EQ(parse_resize_filter("bicubic"), ResizeFilter::Bicubic);
  EXPECT_EQ(parse_resize_filter("bilinear"), ResizeFilter::Bilinear);
  EXPECT_THROW(parse_resize_filter("BICUBIC"), Error);
  EXPECT_THROW(parse_resize_filter("nearest"), Error);
}

}  // namespace
}  // namespace edgeport
