#include "core/file_io.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/error.h"

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
