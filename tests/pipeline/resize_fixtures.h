#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"

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

}  // namespace edgeport::testing
