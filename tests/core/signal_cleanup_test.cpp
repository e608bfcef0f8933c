#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

#include "../test_scratch.h"
#include "core/signal_cleanup.h"
#include "folder_snapshot.h"

namespace edgeport {
namespace {

using testing::snapshot;
using testing::write_text;

// Each case runs in a child process the signal ends. "threadsafe" starts the
// child afresh: a forked child would lack the watcher thread of a parent that
// has already registered a path.
class CleanupOnSignalTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

[[noreturn]] void wait_to_be_ended() {
  std::this_thread::sleep_for(std::chrono::seconds(20));
  std::exit(99);
}

TEST_F(CleanupOnSignalTest, RemovesWhatIsRegisteredAndExitsWith128PlusTheSignal) {
  const std::filesystem::path folder = testing::fresh_test_folder("core", "signal");
  write_text(folder / "unregistered", "kept");
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
    std::filesystem::create_directories(folder / "tree" / "deeper");
    write_text(folder / "tree" / "deeper" / "file", "staged");
    write_text(folder / "file.tmp", "partial");
    std::filesystem::create_directory(folder / "empty");
    EXPECT_EXIT(
        {
          const CleanupOnSignal empty(folder / "empty", CleanupOnSignal::Kind::EmptyFolder);
          const CleanupOnSignal tree(folder / "tree", CleanupOnSignal::Kind::Tree);
          const CleanupOnSignal file(folder / "file.tmp", CleanupOnSignal::Kind::File);
          std::raise(signal);
          wait_to_be_ended();
        },
        ::testing::ExitedWithCode(128 + signal), "stopped by SIG");
    EXPECT_EQ(snapshot(folder), (std::map<std::string, std::string>{{"unregistered", "kept"}})) << signal;
  }
}

TEST_F(CleanupOnSignalTest, AFolderThatIsNotEmptyIsKept) {
  const std::filesystem::path folder = testing::fresh_test_folder("core", "signal");
  std::filesystem::create_directory(folder / "output");
  write_text(folder / "output" / "theirs.txt", "not ours");
  EXPECT_EXIT(
      {
        const CleanupOnSignal output(folder / "output", CleanupOnSignal::Kind::EmptyFolder);
        std::raise(SIGTERM);
        wait_to_be_ended();
      },
      ::testing::ExitedWithCode(128 + SIGTERM), "");
  EXPECT_EQ(snapshot(folder),
            (std::map<std::string, std::string>{{"output", "<directory>"}, {"output/theirs.txt", "not ours"}}));
}

// A change in progress (a commit) finishes before the clean-up starts.
TEST_F(CleanupOnSignalTest, DeferHoldsTheCleanUpUntilReleased) {
  const std::filesystem::path folder = testing::fresh_test_folder("core", "signal");
  std::filesystem::create_directory(folder / "staging");
  EXPECT_EXIT(
      {
        const CleanupOnSignal staging(folder / "staging", CleanupOnSignal::Kind::Tree);
        {
          const auto deferred = CleanupOnSignal::defer();
          std::raise(SIGINT);
          std::this_thread::sleep_for(std::chrono::milliseconds(300));
          write_text(folder / "finished", "the change finished first");
        }
        wait_to_be_ended();
      },
      ::testing::ExitedWithCode(128 + SIGINT), "");
  EXPECT_EQ(snapshot(folder), (std::map<std::string, std::string>{{"finished", "the change finished first"}}));
}

// A path made under defer() before its registration must not meet a signal
// without a handler.
TEST_F(CleanupOnSignalTest, DeferAloneInstallsTheHandler) {
  EXPECT_EXIT(
      {
        { const auto deferred = CleanupOnSignal::defer(); }
        std::raise(SIGTERM);
        wait_to_be_ended();
      },
      ::testing::ExitedWithCode(128 + SIGTERM), "stopped by SIGTERM");
}

// nohup and background jobs start a process with signals ignored on purpose.
TEST_F(CleanupOnSignalTest, AnIgnoredSignalStaysIgnored) {
  const std::filesystem::path folder = testing::fresh_test_folder("core", "signal");
  std::filesystem::create_directory(folder / "staging");
  EXPECT_EXIT(
      {
        std::signal(SIGHUP, SIG_IGN);
        const CleanupOnSignal staging(folder / "staging", CleanupOnSignal::Kind::Tree);
        std::raise(SIGHUP);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        std::exit(7);
      },
      ::testing::ExitedWithCode(7), "");
  EXPECT_TRUE(std::filesystem::exists(folder / "staging"));
}

}  // namespace
}  // namespace edgeport
