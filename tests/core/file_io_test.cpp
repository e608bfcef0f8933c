#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <csignal>

#include "../test_scratch.h"
#include "core/error.h"
#include "core/file_io.h"
#include "folder_snapshot.h"

namespace edgeport {
namespace {

using testing::read_text;
using testing::snapshot;
using testing::write_text;

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

// While alive, writes past `bytes` fail with EFBIG, as writes to a full disk
// fail with ENOSPC: SIGXFSZ, which would otherwise end the process, is
// ignored.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    saved_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{bytes, saved_.rlim_max};
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, saved_handler_);
  }

 private:
  rlimit saved_{};
  void (*saved_handler_)(int) = nullptr;
};

TEST(WriteFileAtomically, ReplacesTheFileAndLeavesNothingElse) {
  const std::filesystem::path folder = testing::fresh_test_folder("core", "out");
  write_text(folder / "report.txt", "old");
  write_file_atomically(folder / "report.txt", std::string("new"));
  write_file_atomically(folder / "fresh.bin", std::vector<std::uint8_t>{1, 2, 3});
  EXPECT_EQ(snapshot(folder), (std::map<std::string, std::string>{{"fresh.bin", "\x01\x02\x03"}, {"report.txt", "new"}}));
}

TEST(WriteFileAtomically, AFailedWriteKeepsTheOldFileAndLeavesNoTemporary) {
  const std::filesystem::path folder = testing::fresh_test_folder("core", "out");
  write_text(folder / "model.onnx", "old model");
  const auto before = snapshot(folder);
  std::string message;
  {
    FileSizeLimit limit(4096);
    message = message_of([&] { write_file_atomically(folder / "model.onnx", std::string(100000, 'x')); });
  }
  EXPECT_NE(message.find((folder / "model.onnx").string() + ": write failed (File too large)"), std::string::npos)
      << message;
  EXPECT_EQ(snapshot(folder), before);
}

TEST(WriteFileAtomically, AFailedRenameLeavesNoTemporary) {
  const std::filesystem::path folder = testing::fresh_test_folder("core", "out");
  const std::filesystem::path target = folder / "summary.json";
  // Something takes the name between the write and the rename.
  const std::string message = message_of([&] {
    write_file_atomically(target, std::string("{}"), [&](const std::filesystem::path&) {
      std::filesystem::create_directory(target);
      write_text(target / "inside.txt", "theirs");
    });
  });
  EXPECT_NE(message.find(target.string() + ": cannot rename into place"), std::string::npos) << message;
  EXPECT_EQ(snapshot(folder),
            (std::map<std::string, std::string>{{"summary.json", "<directory>"}, {"summary.json/inside.txt", "theirs"}}));
}

TEST(WriteFileAtomically, AFolderThatDisappearsIsAnError) {
  const std::filesystem::path folder = testing::fresh_test_folder("core", "out") / "vanishing";
  std::filesystem::create_directory(folder);
  const std::string message = message_of([&] {
    write_file_atomically(folder / "a.npy", std::string("data"),
                          [&](const std::filesystem::path&) { std::filesystem::remove_all(folder); });
  });
  EXPECT_NE(message.find("a.npy: cannot rename into place (No such file or directory)"), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(folder));
}

TEST(WriteFileAtomically, ARefusedCheckKeepsTheOldFileAndLeavesNoTemporary) {
  const std::filesystem::path folder = testing::fresh_test_folder("core", "out");
  write_text(folder / "model.tflite", "old");
  const auto before = snapshot(folder);
  const std::string message = message_of([&] {
    write_file_atomically(folder / "model.tflite", std::string("bad"), [](const std::filesystem::path& written) {
      EXPECT_EQ(read_text(written), "bad");
      throw Error("refused by the check");
    });
  });
  EXPECT_EQ(message, "refused by the check");
  EXPECT_EQ(snapshot(folder), before);
}

TEST(WriteFileAtomically, GivenBytesAreFreedBeforeTheCheckReadsTheFileBack) {
  const std::filesystem::path folder = testing::fresh_test_folder("core", "out");
  std::vector<std::uint8_t> bytes(4096, 7);
  std::size_t held_during_check = 1;
  write_file_atomically(folder / "model.onnx", std::move(bytes), [&](const std::filesystem::path& written) {
    held_during_check = bytes.capacity();
    EXPECT_EQ(std::filesystem::file_size(written), 4096u);
  });
  EXPECT_EQ(held_during_check, 0u);
  EXPECT_EQ(read_file_bytes(folder / "model.onnx"), std::vector<std::uint8_t>(4096, 7));
}

TEST(WriteFileAtomically, AMissingFolderIsOneLineNamingTheFile) {
  const std::filesystem::path target = testing::fresh_test_folder("core", "out") / "missing" / "out.npy";
  EXPECT_EQ(message_of([&] { write_file_atomically(target, std::string("x")); }),
            target.string() + ": cannot create (No such file or directory)");
}

// /dev/full, /dev/null, a FIFO or a folder as output: renaming over them would
// replace them, so they are refused before anything is written.
TEST(WriteFileAtomically, RefusesEverythingButRegularFiles) {
  const std::filesystem::path folder = testing::fresh_test_folder("core", "out");
  ASSERT_EQ(::mkfifo((folder / "pipe").c_str(), 0600), 0);
  std::filesystem::create_directory(folder / "folder");
  std::filesystem::create_symlink("pipe", folder / "link to pipe");
  std::vector<std::pair<std::string, std::string>> cases = {
      {"pipe", "is a FIFO"}, {"folder", "is a directory"}, {"link to pipe", "is a FIFO"}};
  // Only root may make a device node; it is /dev/full's (1, 7).
  if (::mknod((folder / "full").c_str(), S_IFCHR | 0600, ::makedev(1, 7)) == 0) {
    cases.push_back({"full", "is a character device"});
  }
  const auto before = snapshot(folder);
  for (const auto& [name, problem] : cases) {
    EXPECT_EQ(message_of([&] { write_file_atomically(folder / name, std::string("data")); }),
              (folder / name).string() + ": " + problem + "; edgeport writes its output only to regular files");
  }
  EXPECT_EQ(snapshot(folder), before);
  std::filesystem::remove(folder / "full");
}

// The link is what the caller named, so the link is what gets replaced.
TEST(WriteFileAtomically, ReplacesASymbolicLinkToAFileRatherThanItsTarget) {
  const std::filesystem::path folder = testing::fresh_test_folder("core", "out");
  write_text(folder / "original.txt", "original");
  std::filesystem::create_symlink("original.txt", folder / "link.txt");
  write_file_atomically(folder / "link.txt", std::string("new"));
  EXPECT_EQ(snapshot(folder),
            (std::map<std::string, std::string>{{"link.txt", "new"}, {"original.txt", "original"}}));
}

}  // namespace
}  // namespace edgeport
