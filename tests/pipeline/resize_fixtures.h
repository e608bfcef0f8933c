#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"
#include "core/tensor.h"
#include "pipeline/image.h"

// tests/fixtures/resize/, written by tools/make_resize_vectors.py with Pillow
// (and torchvision) as the judge.
namespace edgeport::testing {

inline std::filesystem::path resize_fixture_dir() {
  return std::filesystem::path(EDGEPORT_SOURCE_DIR) / "tests" / "fixtures" / "resize";
}

// Sources are either absolute (skimage's photos) or committed beside the manifest.
inline std::filesystem::path resize_fixture(const std::string& path) {
  const std::filesystem::path file(path);
  return file.is_absolute() ? file : resize_fixture_dir() / file;
}

inline nlohmann::json resize_manifest() {
  const std::filesystem::path path = resize_fixture_dir() / "manifest.json";
  std::ifstream stream(path);
  if (!stream) throw Error(path.string() + ": cannot open; run tools/make_resize_vectors.py");
  return nlohmann::json::parse(stream);
}

// Fails unless the image is Pillow's uint8 [height, width, 3] array byte for
// byte; says how many bytes differ and by how much when it is not.
inline void expect_pillow_bytes(const Image& actual, const Tensor& expected) {
  ASSERT_EQ(expected.dtype(), DType::UInt8);
  ASSERT_EQ(expected.shape(), (Shape{actual.height, actual.width, 3}));
  int worst = 0;
  std::size_t differing = 0;
  for (std::size_t i = 0; i < actual.rgb.size(); ++i) {
    const int difference = std::abs(int{actual.rgb[i]} - int{expected.data<std::uint8_t>()[i]});
    worst = std::max(worst, difference);
    differing += difference != 0;
  }
  EXPECT_EQ(worst, 0) << differing << " of " << actual.rgb.size() << " bytes differ from Pillow";
}

}  // namespace edgeport::testing
