#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

#include "../immutable_flag.h"
#include "../test_scratch.h"
#include "core/error.h"
#include "core/staging_directory.h"
#include "folder_snapshot.h"
#include "process_identities.h"

namespace edgeport {
namespace {

using testing::snapshot;
using testing::write_text;
using Listing = std::map<std::string, std::string>;

std::string commit_error(StagingDirectory& staging, const std::vector<std::string>& names) {
  try {
    staging.commit(names);
  } catch (const Error& error) {
    return error.what();
  }
  return "(committed)";
}

TEST(StagingDirectory, CommitMovesEveryFileIntoPlaceAndLeavesNoFolderBehind) {
  const std::filesystem::path output = testing::fresh_test_folder("core", "output");
  write_text(output / "model.onnx", "old model");
  write_text(output / "notes.txt", "not ours");
  StagingDirectory staging(output);
  write_text(staging.path("model.onnx"), "new model");
  write_text(staging.path("summary.json"), "{}");
  staging.commit({"model.onnx", "summary.json"});
  const Listing expected = {{"model.onnx", "new model"}, {"notes.txt", "not ours"}, {"summary.json", "{}"}};
  EXPECT_EQ(snapshot(output), expected);
}

TEST(StagingDirectory, FailedCommitRestoresTheOutputDirectoryExactly) {
  const std::filesystem::path output = testing::fresh_test_folder("core", "output");
  write_text(output / "a.onnx", "old a");
  std::filesystem::create_directory(output / "b.tflite");  // in the way of the second file
  write_text(output / "b.tflite" / "inside.txt", "user data");
  write_text(output / "c.json", "old c");
  const Listing before = snapshot(output);

  StagingDirectory staging(output);
  for (const char* name : {"a.onnx", "b.tflite", "c.json", "d.txt"}) write_text(staging.path(name), "new");
  // a.onnx is replaced before b.tflite fails; c.json and d.txt never move.
  const std::string message = commit_error(staging, {"a.onnx", "b.tflite", "c.json", "d.txt"});
  EXPECT_NE(message.find("b.tflite: cannot move into place"), std::string::npos) << message;
  EXPECT_EQ(message.find("could not restore"), std::string::npos) << message;
  EXPECT_EQ(snapshot(output), before);
}

// A file that cannot be set aside (immutable: not even root may rename it)
// fails the commit after earlier files were replaced.
TEST(StagingDirectory, AnOldFileThatCannotBeSetAsideFailsTheCommitWithoutChange) {
  const std::filesystem::path output = testing::fresh_test_folder("core", "output");
  write_text(output / "a.onnx", "old a");
  write_text(output / "b.tflite", "old b");
  const Listing before = snapshot(output);
  const testing::ImmutableFlag immutable(output / "b.tflite");
  if (!immutable.is_set()) GTEST_SKIP() << "no immutable flag here (needs CAP_LINUX_IMMUTABLE)";

  StagingDirectory staging(output);
  for (const char* name : {"a.onnx", "b.tflite", "c.json"}) write_text(staging.path(name), "new");
  const std::string message = commit_error(staging, {"a.onnx", "b.tflite", "c.json"});
  EXPECT_NE(message.find("b.tflite: cannot set the old file aside (Operation not permitted)"), std::string::npos)
      << message;
  EXPECT_EQ(snapshot(output), before);
}

TEST(StagingDirectory, CommitRefusesNamesNotStagedOrListedTwiceBeforeMovingAnything) {
  const std::filesystem::path output = testing::fresh_test_folder("core", "output");
  write_text(output / "a.onnx", "old a");
  const Listing before = snapshot(output);
  for (const std::vector<std::string>& names : std::vector<std::vector<std::string>>{
           {"a.onnx", "never-staged.json"}, {"a.onnx", "a.onnx"}, {"a.onnx", "../escape"}}) {
    StagingDirectory staging(output);
    write_text(staging.path("a.onnx"), "new a");
    EXPECT_NE(commit_error(staging, names), "(committed)");
    EXPECT_EQ(snapshot(output), before);
  }
}

// Another run committing into the same folder holds its lock: this commit
// waits instead of interleaving its files with the other run's.
TEST(StagingDirectory, CommitsIntoOneFolderTakeTurns) {
  const std::filesystem::path output = testing::fresh_test_folder("core", "output");
  StagingDirectory staging(output);
  write_text(staging.path("model.onnx"), "new model");
  const int other_run = ::open(output.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_EQ(::flock(other_run, LOCK_EX), 0);
  std::atomic<bool> committed = false;
  std::thread commit([&] {
    staging.commit({"model.onnx"});
    committed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(committed);
  EXPECT_FALSE(std::filesystem::exists(output / "model.onnx"));
  ::close(other_run);
  commit.join();
  EXPECT_EQ(snapshot(output), (Listing{{"model.onnx", "new model"}}));
}

TEST(StagingDirectory, WithoutCommitTheOutputDirectoryIsUntouched) {
  const std::filesystem::path output = testing::fresh_test_folder("core", "output");
  write_text(output / "model.onnx", "old model");
  const Listing before = snapshot(output);
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
  EXPECT_EQ(snapshot(output), (Listing{{"file.txt", "content"}}));
}

TEST(StagingDirectory, RemovesTheFoldersItCreatedWhenNothingIsCommitted) {
  const std::filesystem::path parent = testing::fresh_test_folder("core", "parent");
  { StagingDirectory staging(parent / "a" / "b" / "c"); }
  EXPECT_EQ(snapshot(parent), Listing{});

  // What someone else puts into a folder the run created stays, and so does
  // the folder.
  {
    StagingDirectory staging(parent / "a" / "b" / "c");
    write_text(parent / "a" / "theirs.txt", "not ours");
  }
  EXPECT_EQ(snapshot(parent), (Listing{{"a", "<directory>"}, {"a/theirs.txt", "not ours"}}));
}

// A run killed (SIGKILL, a crash) half-way through its commit: a.onnx and
// b.tflite were moved in, c.json's old file set aside, c.json and d.txt not
// moved yet. The next run in the folder undoes it.
TEST(StagingDirectory, ACommitCutShortIsUndoneByTheNextRun) {
  const std::filesystem::path output = testing::fresh_test_folder("core", "output");
  write_text(output / "a.onnx", "old a");
  write_text(output / "c.json", "old c");
  write_text(output / "notes.txt", "not ours");
  const Listing before = snapshot(output);

  const std::filesystem::path killed = output / (".edgeport-staging-" + testing::ended_process_identity());
  std::filesystem::create_directories(killed / "new");
  std::filesystem::create_directories(killed / "old");
  write_text(killed / "committing", std::string("a.onnx\0b.tflite\0c.json\0d.txt\0", 29));
  std::filesystem::rename(output / "a.onnx", killed / "old" / "a.onnx");
  write_text(output / "a.onnx", "new a");
  write_text(output / "b.tflite", "new b");
  std::filesystem::rename(output / "c.json", killed / "old" / "c.json");
  write_text(killed / "new" / "c.json", "new c");
  write_text(killed / "new" / "d.txt", "new d");

  { StagingDirectory next(output); }
  EXPECT_EQ(snapshot(output), before);
}

TEST(StagingDirectory, StaleFoldersOfEndedRunsGoAndOthersStay) {
  const std::filesystem::path output = testing::fresh_test_folder("core", "output");
  write_text(output / "model.onnx", "committed");
  const auto staging_folder = [&](const std::string& identity) {
    const std::filesystem::path folder = output / (".edgeport-staging-" + identity);
    std::filesystem::create_directories(folder / "new");
    write_text(folder / "new" / "model.onnx", "staged by " + identity);
    return folder;
  };
  testing::ChildProcess live;
  testing::ChildProcess ended_bare_pid;
  const std::string bare_pid = std::to_string(ended_bare_pid.pid());
  ended_bare_pid.end();
  const std::string ended = testing::ended_process_identity();

  staging_folder(ended);
  // A commit that took effect before its folder was removed: nothing to undo.
  const std::filesystem::path completed = staging_folder(testing::with_field(ended, 0, "1"));
  std::filesystem::create_directory(completed / "old");
  write_text(completed / "old" / "model.onnx", "replaced");
  staging_folder(bare_pid);
  staging_folder(live.identity());
  staging_folder(testing::with_field(ended, 3, "another-host"));
  write_text(output / ".edgeport-staging-notes", "a file, not a folder");
  const Listing expected = [&] {
    Listing listing = snapshot(output);
    for (const std::string& gone : {ended, testing::with_field(ended, 0, "1"), bare_pid}) {
      std::erase_if(listing, [&](const auto& entry) {
        const std::string folder = ".edgeport-staging-" + gone;
        return entry.first == folder || entry.first.starts_with(folder + "/");
      });
    }
    return listing;
  }();

  { StagingDirectory next(output); }
  EXPECT_EQ(snapshot(output), expected);
}

}  // namespace
}  // namespace edgeport
