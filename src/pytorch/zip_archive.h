#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

struct zip;

namespace edgeport {

// A read-only view of a zip archive held in memory, through libzip. Every
// failure (truncation, bad central directory, CRC mismatch, missing record)
// is an Error that starts with `origin`.
class ZipArchive {
 public:
  // `bytes` must outlive the archive; nothing is copied.
  ZipArchive(std::span<const std::uint8_t> bytes, std::string origin);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // Entry names in central-directory order.
  const std::vector<std::string>& names() const { return names_; }
  bool contains(const std::string& name) const { return index_.contains(name); }
  std::uint64_t archive_bytes() const { return archive_bytes_; }
  // Uncompressed size the central directory declares for `name`.
  std::uint64_t declared_size(const std::string& name) const;
  // The whole record, decompressed and CRC-checked.
  std::vector<std::uint8_t> read(const std::string& name) const;

 private:
  std::uint64_t entry_index(const std::string& name) const;

  std::string origin_;
  std::uint64_t archive_bytes_ = 0;
  struct zip* archive_ = nullptr;
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint64_t> index_;
};

}  // namespace edgeport
