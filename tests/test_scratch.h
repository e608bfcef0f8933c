#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

// Shared by the test executables: a fresh folder under the build tree for one
// test's files. ctest runs tests as parallel processes, so each test gets a
// folder named after itself: build/test_scratch/<area>/<Suite.Test>/<name>.
namespace edgeport::testing {

inline std::filesystem::path fresh_test_folder(const std::string& area, const std::string& name) {
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string test_name = std::string(test->test_suite_name()) + "." + test->name();
  std::replace(test_name.begin(), test_name.end(), '/', '_');
  const std::filesystem::path folder =
      std::filesystem::path(EDGEPORT_BINARY_DIR) / "test_scratch" / area / test_name / name;
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

}  // namespace edgeport::testing
