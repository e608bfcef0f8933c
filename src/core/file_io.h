#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace edgeport {

// An open descriptor of a regular file, closed on destruction. Opening does
// not block: a FIFO would wait for a writer and a device could stream
// forever, so anything but a regular file is refused before it is read.
class RegularFile {
 public:
  explicit RegularFile(const std::filesystem::path& path);
  ~RegularFile();
  RegularFile(const RegularFile&) = delete;
  RegularFile& operator=(const RegularFile&) = delete;

  int descriptor() const { return descriptor_; }
  std::uint64_t size() const { return size_; }
  // Up to `count` bytes from the current position; fewer only at the end of the file.
  std::vector<std::uint8_t> read(std::uint64_t count);
  // An Error naming the file, the problem and errno's text.
  [[noreturn]] void fail(const std::string& problem) const;

 private:
  [[noreturn]] void throw_closed(const std::string& problem) const;

  std::filesystem::path path_;
  int descriptor_ = -1;
  std::uint64_t size_ = 0;
};

// The whole of a regular file. Directories, devices, FIFOs and sockets are
// refused before anything is read: reading them could block or never end.
std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path);
// The first `count` bytes of a regular file (fewer when it is shorter), with
// the same refusals.
std::vector<std::uint8_t> read_file_head(const std::filesystem::path& path, std::size_t count);

// The one way edgeport writes a file. The bytes go to a new temporary file
// beside `path` (the same folder, so the rename stays on one file system),
// written in full, synced to disk and closed, each step checked; `check`
// (given the temporary path) may then refuse it; only then is it renamed over
// `path`. A reader never sees a half-written or unverified file, and on any
// failure (a full disk, a vanished folder, a refused check, SIGINT, SIGTERM or
// SIGHUP) the temporary file is removed and a file already at `path` stays as
// it was. Errors name `path`.
//
// Output goes only to regular files: a `path` that is anything else (a folder,
// /dev/full or another device, a FIFO, a socket, or a symbolic link to one) is
// refused before anything is written. Renaming over a device would replace
// the device node, and writing into one could not be made all-or-nothing. A
// symbolic link to a regular file is replaced by the new file, not followed.
void write_file_atomically(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes,
                           const std::function<void(const std::filesystem::path&)>& check = {});
// The same, freeing `bytes` once they are on disk: a check that reads a large
// file back does not hold it twice.
void write_file_atomically(const std::filesystem::path& path, std::vector<std::uint8_t>&& bytes,
                           const std::function<void(const std::filesystem::path&)>& check = {});
void write_file_atomically(const std::filesystem::path& path, const std::string& text,
                           const std::function<void(const std::filesystem::path&)>& check = {});

// The refusal write_file_atomically makes before it writes, for a command to
// make before its work: an Error when `path` exists as anything but a
// regular file.
void check_output_file(const std::filesystem::path& path);

// Flushes standard output; an Error when anything written to it was lost
// (a full disk, /dev/full), so that a command never reports success for
// output that did not arrive.
void flush_standard_output();

}  // namespace edgeport
