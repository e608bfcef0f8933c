#include "core/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <new>

#include "core/error.h"

namespace edgeport {

namespace {

// An open descriptor of a regular file, closed on destruction. Opening does
// not block: a FIFO would wait for a writer and a device could stream
// forever, so anything but a regular file is refused before it is read.
class RegularFile {
 public:
  explicit RegularFile(const std::filesystem::path& path) : path_(path) {
    descriptor_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (descriptor_ < 0) {
      const int error = errno;
      if (error == ENOENT) throw Error(path.string() + ": no such file");
      throw Error(path.string() + ": cannot open (" + std::strerror(error) + ")");
    }
    struct stat status {};
    if (::fstat(descriptor_, &status) != 0) fail("cannot stat");
    if (S_ISDIR(status.st_mode)) throw_closed("is a directory, not a file");
    if (!S_ISREG(status.st_mode)) throw_closed("is not a regular file (a device, FIFO or socket); give a file");
    size_ = static_cast<std::uint64_t>(status.st_size);
  }
  ~RegularFile() {
    if (descriptor_ >= 0) ::close(descriptor_);
  }
  RegularFile(const RegularFile&) = delete;
  RegularFile& operator=(const RegularFile&) = delete;

  std::uint64_t size() const { return size_; }

  // Up to `count` bytes from the start; fewer only at the end of the file.
  std::vector<std::uint8_t> read(std::uint64_t count) {
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

  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(path_.string() + ": " + problem + " (" + std::strerror(errno) + ")");
  }

 private:
  [[noreturn]] void throw_closed(const std::string& problem) const { throw Error(path_.string() + ": " + problem); }

  std::filesystem::path path_;
  int descriptor_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace

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

void write_temporary(const std::filesystem::path& path, const char* data, std::size_t size,
                     const std::function<void(const std::filesystem::path&)>& check) {
  std::filesystem::path temporary = path;
  temporary += ".tmp-" + std::to_string(::getpid());
  try {
    {
      std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
      if (!stream) throw Error(path.string() + ": cannot write (" + std::strerror(errno) + ")");
      stream.write(data, static_cast<std::streamsize>(size));
      stream.flush();
      if (!stream) throw Error(path.string() + ": write failed (" + std::strerror(errno) + ")");
    }
    if (check) check(temporary);
    std::error_code status;
    std::filesystem::rename(temporary, path, status);
    if (status) throw Error(path.string() + ": cannot rename into place (" + status.message() + ")");
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes,
                           const std::function<void(const std::filesystem::path&)>& check) {
  write_temporary(path, reinterpret_cast<const char*>(bytes.data()), bytes.size(), check);
}

void write_file_atomically(const std::filesystem::path& path, const std::string& text,
                           const std::function<void(const std::filesystem::path&)>& check) {
  write_temporary(path, text.data(), text.size(), check);
}

}  // namespace edgeport
