#include "core/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <optional>
#include <utility>

#include "core/error.h"
#include "core/file_name.h"
#include "core/signal_cleanup.h"

namespace edgeport {

RegularFile::RegularFile(const std::filesystem::path& path) : path_(path) {
  descriptor_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (descriptor_ < 0) {
    const int error = errno;
    if (error == ENOENT) throw Error(path.string() + ": no such file");
    throw Error(path.string() + ": cannot open (" + std::strerror(error) + ")");
  }
  struct stat status {};
  if (::fstat(descriptor_, &status) != 0) throw_closed(std::string("cannot stat (") + std::strerror(errno) + ")");
  if (S_ISDIR(status.st_mode)) throw_closed("is a directory, not a file");
  if (!S_ISREG(status.st_mode)) throw_closed("is not a regular file (a device, FIFO or socket); give a file");
  size_ = static_cast<std::uint64_t>(status.st_size);
}

RegularFile::~RegularFile() {
  if (descriptor_ >= 0) ::close(descriptor_);
}

std::vector<std::uint8_t> RegularFile::read(std::uint64_t count) {
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(count));
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t got = ::read(descriptor_, bytes.data() + filled, bytes.size() - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) fail("read error");
    if (got == 0) break;
    filled += static_cast<std::size_t>(got);
  }
  bytes.resize(filled);
  return bytes;
}

void RegularFile::fail(const std::string& problem) const {
  throw Error(path_.string() + ": " + problem + " (" + std::strerror(errno) + ")");
}

void RegularFile::throw_closed(const std::string& problem) const {
  if (descriptor_ >= 0) ::close(descriptor_);
  throw Error(path_.string() + ": " + problem);
}

std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path) {
  RegularFile file(path);
  std::vector<std::uint8_t> bytes;
  try {
    bytes = file.read(file.size());
  } catch (const std::bad_alloc&) {
    throw Error(path.string() + ": out of memory reading " + std::to_string(file.size() >> 20) + " MiB");
  }
  if (bytes.size() != file.size()) throw Error(path.string() + ": changed size while being read");
  return bytes;
}

std::vector<std::uint8_t> read_file_head(const std::filesystem::path& path, std::size_t count) {
  RegularFile file(path);
  return file.read(std::min<std::uint64_t>(count, file.size()));
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

// `written`, when given, holds the data and is emptied before the check runs.
void write_checked(const std::filesystem::path& path, const char* data, std::size_t size,
                   const std::function<void(const std::filesystem::path&)>& check,
                   std::vector<std::uint8_t>* written = nullptr) {
  check_output_file(path);
  TemporaryFile temporary(path);
  temporary.write_all(data, size);
  temporary.sync_and_close();
  if (written) std::vector<std::uint8_t>().swap(*written);
  if (check) check(temporary.path());
  temporary.place();
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes,
                           const std::function<void(const std::filesystem::path&)>& check) {
  write_checked(path, reinterpret_cast<const char*>(bytes.data()), bytes.size(), check);
}

void write_file_atomically(const std::filesystem::path& path, std::vector<std::uint8_t>&& bytes,
                           const std::function<void(const std::filesystem::path&)>& check) {
  write_checked(path, reinterpret_cast<const char*>(bytes.data()), bytes.size(), check, &bytes);
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
