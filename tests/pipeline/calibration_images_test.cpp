#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "core/error.h"
#include "pipeline/inputs.h"
#include "../test_scratch.h"

namespace edgeport {
namespace {

void touch(const std::filesystem::path& path) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << "x";
}

std::vector<std::string> relative_names(const std::vector<std::filesystem::path>& files,
                                        const std::filesystem::path& root) {
  std::vector<std::string> names;
  for (const auto& file : files) names.push_back(file.lexically_relative(root).string());
  return names;
}

// Keeps the finder on its default search for the test's duration.
class WithoutOverride : public ::testing::Test {
 protected:
  void SetUp() override { unsetenv("EDGEPORT_CALIBRATION"); }
  void TearDown() override { unsetenv("EDGEPORT_CALIBRATION"); }
};

TEST(CalibrationImages, FindsImagesAtAnyDepthSorted) {
  const auto root = testing::fresh_test_folder("pipeline", "photos");
  for (const char* name : {"b.png", "a/deeper/c.JPG", "a/d.jpeg", "notes.txt", "a/e.npy", "z/f.jpg"}) {
    touch(root / name);
  }
  EXPECT_EQ(relative_names(calibration_images(root, 0), root),
            (std::vector<std::string>{"a/d.jpeg", "a/deeper/c.JPG", "b.png", "z/f.jpg"}));
}

TEST(CalibrationImages, CountPicksEvenlySpacedFilesInSortedOrder) {
  const auto root = testing::fresh_test_folder("pipeline", "photos");
  for (const char* name : {"0.png", "1.png", "2.png", "3.png", "4.png", "5.png"}) touch(root / name);
  EXPECT_EQ(relative_names(calibration_images(root, 3), root), (std::vector<std::string>{"0.png", "2.png", "4.png"}));
  EXPECT_EQ(relative_names(calibration_images(root, 4), root),
            (std::vector<std::string>{"0.png", "1.png", "3.png", "4.png"}));
  EXPECT_EQ(calibration_images(root, 6).size(), 6u);
  EXPECT_EQ(calibration_images(root, 100).size(), 6u);
  EXPECT_THROW(calibration_images(root, -1), Error);
}

TEST(CalibrationImages, AFolderWithoutImagesIsAnErrorNamingIt) {
  const auto root = testing::fresh_test_folder("pipeline", "empty");
  touch(root / "readme.txt");
  try {
    calibration_images(root, 0);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(root.string()), std::string::npos) << error.what();
  }
}

TEST_F(WithoutOverride, BundledSetIsFoundWithBothVerdictsOfEveryPhoto) {
  const std::vector<std::filesystem::path> images = calibration_images(std::nullopt, 0);
  std::vector<std::string> names;
  for (const auto& image : images) names.push_back(image.filename().string());
  std::vector<std::string> expected;
  for (const char* photo : {"astronaut", "chelsea", "coffee", "rocket"}) {
    for (const char* copy : {"", "_blurred", "_resampled"}) expected.push_back(std::string(photo) + copy + ".png");
  }
  EXPECT_EQ(names, expected);
  EXPECT_EQ(std::filesystem::weakly_canonical(bundled_calibration_directory()),
            std::filesystem::weakly_canonical(images.front().parent_path()));
}

TEST_F(WithoutOverride, EnvironmentVariableChoosesTheSet) {
  const auto root = testing::fresh_test_folder("pipeline", "elsewhere");
  touch(root / "only.png");
  setenv("EDGEPORT_CALIBRATION", root.c_str(), 1);
  EXPECT_EQ(relative_names(calibration_images(std::nullopt, 0), root), (std::vector<std::string>{"only.png"}));
  setenv("EDGEPORT_CALIBRATION", (root / "missing").c_str(), 1);
  EXPECT_THROW(bundled_calibration_directory(), Error);
}

}  // namespace
}  // namespace edgeport
