#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "../test_scratch.h"
#include "core/error.h"
#include "core/staging_directory.h"

namespace edgeport {
namespace {

void write_text(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

// Every entry under `folder`: a file's content, "<directory>" for a folder.
std::map<std::string, std::string> snapshot(const std::filesystem::path& folder) {
  std::map<std::string, std::string> entries;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    const std::string name = std::filesystem::relative(entry.path(), folder).string();
    if (entry.is_directory()) {
      entries[name] = "<directory>";
    } else {
      std::ostringstream content;
      content << std::ifstream(entry.path()).rdbuf();
      entries[name] = content.str();
    }
  }
  return entries;
}

TEST(StagingDirectory, CommitMovesEveryFileIntoPlaceAndLeavesNoFolderBehind) {
  const std::filesystem::path output = testing::fresh_test_folder("core", "output");
  write_text(output / "model.onnx", "old model");
  write_text(output / "notes.txt", "not ours");
  StagingDirectory staging(output);
  write_text(staging.path("model.onnx"), "new model");
  write_text(staging.path("summary.json"), "{}");
  staging.commit({"model.onnx", "summary.json"});
  const std::map<std::string, std::string> expected = {
      {"model.onnx", "new model"}, {"notes.txt", "not ours"}, {"summary.json", "{}"}};
  EXPECT_EQ(snapshot(output), expected);
}

TEST(StagingDirectory, FailedCommitRestoresTheOutputDirectoryExactly) {
  const std::filesystem::path output = testing::fresh_test_folder("core", "output");
  write_text(output / "a.onnx", "old a");
  std::filesystem::create_directory(output / "b.tflite");  // in the way of the second file
  write_text(output / "b.tflite" / "inside.txt", "user data");
  write_text(output / "c.json", "old c");
  const std::map<std::string, std::string> before = snapshot(output);

  StagingDirectory staging(output);
  for (const char* name : {"a.onnx", "b.tflite", "c.json", "d.txt"}) write_text(staging.path(name), "new");
  try {
    // a.onnx is replaced before b.tflite fails; c.json and d.txt never move.
    staging.commit({"a.onnx", "b.tflite", "c.json", "d.txt"});
    FAIL() << "committed over a directory";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("b.tflite: cannot move into place"), std::string::npos) << error.what();
    EXPECT_EQ(std::string(error.what()).find("could not restore"), std::string::npos) << error.what();
  }
  EXPECT_EQ(snapshot(output), before);
}

TEST(StagingDirectory, WithoutCommitTheOutputDirectoryIsUntouched) {
  const std::filesystem::path output = testing::fresh_test_folder("core", "output");
  write_text(output / "model.onnx", "old model");
  const std::map<std::string, std::string> before = snapshot(output);
  {
    StagingDirectory staging(output);
    write_text(staging.path("model.onnx"), "new model");
    EXPECT_NE(snapshot(output), before);
  }
  EXPECT_EQ(snapshot(output), before);
}

TEST(StagingDirectory, CreatesAMissingOutputDirectory) {
  const std::filesystem::path output = testing::fresh_test_folder("core", "parent") / "deeper" / "output";
  StagingDirectory staging(output);
  write_text(staging.path("file.txt"), "content");
  staging.commit({"file.txt"});
  EXPECT_EQ(snapshot(output), (std::map<std::string, std::string>{{"file.txt", "content"}}));
}

}  // namespace
}  // namespace edgeport
