#include "core/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <utility>

#include "core/error.h"
#include "core/file_name.h"
#include "core/signal_cleanup.h"

namespace edgeport {

std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path) {
  std::error_code status;
  if (std::filesystem::is_directory(path, status)) throw Error(path.string() + ": is a directory, not a file");
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw Error(path.string() + ": cannot open (" + std::strerror(errno) + ")");
  // A regular file is read in one call; anything else byte by byte to its end.
  const std::uintmax_t size = std::filesystem::is_regular_file(path, status) ? std::filesystem::file_size(path, status)
                                                                             : std::uintmax_t{0};
  if (!status && size > 0) {
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    stream.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (static_cast<std::uintmax_t>(stream.gcount()) != size) throw Error(path.string() + ": read error");
    return bytes;
  }
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  if (stream.bad()) throw Error(path.string() + ": read error");
  return bytes;
}

namespace {

std::string describe(std::filesystem::file_type type) {
  switch (type) {
    case std::filesystem::file_type::directory:
      return "a directory";
    case std::filesystem::file_type::character:
      return "a character device";
    case std::filesystem::file_type::block:
      return "a block device";
    case std::filesystem::file_type::fifo:
      return "a FIFO";
    case std::filesystem::file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}

}  // namespace

void check_output_file(const std::filesystem::path& path) {
  std::error_code ignored;
  const std::filesystem::file_status target = std::filesystem::status(path, ignored);
  if (std::filesystem::exists(target) && !std::filesystem::is_regular_file(target)) {
    throw Error(path.string() + ": is " + describe(target.type()) +
                "; edgeport writes its output only to regular files");
  }
}

namespace {

// A new file beside the target that becomes the target only through
// place(); until then it is removed on destruction and on SIGINT, SIGTERM and
// SIGHUP.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::filesystem::path& target) : target_(target) {
    static std::atomic<unsigned> counter{0};
    // Hidden, and short enough for the file system's 255-byte names.
    std::string stem = ".";
    stem += target.filename().string().substr(0, kMaxPlainFileName);
    stem += ".tmp-" + std::to_string(::getpid()) + "-";
    // Registered before it exists, while the clean-up is held off: a signal
    // then removes the file only once it is ours.
    const auto deferred = CleanupOnSignal::defer();
    // O_EXCL: a leftover of a killed process with the same pid is never reused.
    for (int attempt = 0; fd_ < 0; ++attempt) {
      path_ = target.parent_path() / (stem + std::to_string(counter++));
      cleanup_.emplace(path_, CleanupOnSignal::Kind::File);
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ < 0 && (errno != EEXIST || attempt == 100)) fail("cannot create");
    }
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!placed_) ::unlink(path_.c_str());
  }

  const std::filesystem::path& path() const { return path_; }

  void write_all(const char* data, std::size_t size) {
    while (size > 0) {
      const ssize_t written = ::write(fd_, data, size);
      if (written < 0) {
        if (errno == EINTR) continue;
        fail("write failed");
      }
      data += written;
      size -= static_cast<std::size_t>(written);
    }
  }

  // The data reaches the disk before the rename does; otherwise a crash soon
  // after could leave the new name on an empty file. Some file systems (NFS,
  // quotas) report a full disk only here or at close.
  void sync_and_close() {
    if (::fsync(fd_) != 0) fail("write failed when syncing to disk");
    // Not retried on EINTR: on Linux the descriptor is closed either way.
    if (::close(std::exchange(fd_, -1)) != 0) fail("write failed when closing");
  }

  void place() {
    const auto deferred = CleanupOnSignal::defer();
    if (::rename(path_.c_str(), target_.c_str()) != 0) fail("cannot rename into place");
    placed_ = true;
    cleanup_.reset();
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    const std::string reason = std::strerror(errno);
    throw Error(target_.string() + ": " + what + " (" + reason + ")");
  }

  std::filesystem::path target_;
  std::filesystem::path path_;
  int fd_ = -1;
  bool placed_ = false;
  std::optional<CleanupOnSignal> cleanup_;
};

void write_checked(const std::filesystem::path& path, const char* data, std::size_t size,
                   const std::function<void(const std::filesystem::path&)>& check) {
  check_output_file(path);
  TemporaryFile temporary(path);
  temporary.write_all(data, size);
  temporary.sync_and_close();
  if (check) check(temporary.path());
  temporary.place();
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes,
                           const std::function<void(const std::filesystem::path&)>& check) {
  write_checked(path, reinterpret_cast<const char*>(bytes.data()), bytes.size(), check);
}

void write_file_atomically(const std::filesystem::path& path, const std::string& text,
                           const std::function<void(const std::filesystem::path&)>& check) {
  write_checked(path, text.data(), text.size(), check);
}

void flush_standard_output() {
  // Whichever of the two flushes meets the failure leaves its reason.
  errno = 0;
  std::cout.flush();
  const bool flushed = std::fflush(stdout) == 0;
  if (flushed && !std::ferror(stdout) && std::cout) return;
  const std::string reason = errno != 0 ? std::string(" (") + std::strerror(errno) + ")" : "";
  throw Error("standard output: write failed" + reason);
}

}  // namespace edgeport
