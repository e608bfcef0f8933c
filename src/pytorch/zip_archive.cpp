#include "pytorch/zip_archive.h"

#include <zip.h>

#include <algorithm>

#include "core/error.h"

namespace edgeport {

namespace {

// Deflate cannot expand data by more than about 1032:1; a record claiming more
// is a zip bomb or a corrupt header, and must not size an allocation.
constexpr std::uint64_t kMaxDeflateRatio = 1032;
constexpr std::uint64_t kReadChunk = 1 << 16;

std::string libzip_message(zip_error_t& error) {
  std::string message = zip_error_strerror(&error);
  zip_error_fini(&error);
  return message;
}

}  // namespace

ZipArchive::ZipArchive(std::span<const std::uint8_t> bytes, std::string origin)
    : origin_(std::move(origin)), archive_bytes_(bytes.size()) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) throw Error(origin_ + ": cannot read as zip (" + libzip_message(error) + ")");
  archive_ = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (archive_ == nullptr) {
    zip_source_free(source);
    throw Error(origin_ + ": not a readable zip archive, truncated or corrupt (" + libzip_message(error) + ")");
  }
  zip_error_fini(&error);

  const zip_int64_t count = zip_get_num_entries(archive_, 0);
  if (count < 0) {
    zip_discard(archive_);
    throw Error(origin_ + ": cannot list zip entries");
  }
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(archive_, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
    if (name == nullptr) {
      const std::string message = zip_strerror(archive_);
      zip_discard(archive_);
      throw Error(origin_ + ": cannot read zip entry " + std::to_string(i) + " (" + message + ")");
    }
    // Two records with one name would let different readers see different data.
    if (!index_.emplace(name, static_cast<std::uint64_t>(i)).second) {
      zip_discard(archive_);
      throw Error(origin_ + ": zip entry '" + std::string(name) + "' appears twice");
    }
    names_.emplace_back(name);
  }
}

ZipArchive::~ZipArchive() { zip_discard(archive_); }

std::uint64_t ZipArchive::entry_index(const std::string& name) const {
  const auto found = index_.find(name);
  if (found == index_.end()) throw Error(origin_ + ": missing record '" + name + "'");
  return found->second;
}

std::uint64_t ZipArchive::declared_size(const std::string& name) const {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive_, entry_index(name), ZIP_FL_ENC_RAW, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE)) {
    throw Error(origin_ + ": cannot stat record '" + name + "' (" + zip_strerror(archive_) + ")");
  }
  return stat.size;
}

std::vector<std::uint8_t> ZipArchive::read(const std::string& name) const {
  const std::uint64_t index = entry_index(name);
  zip_stat_t stat;
  zip_stat_init(&stat);
  const zip_uint64_t needed = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD;
  if (zip_stat_index(archive_, index, ZIP_FL_ENC_RAW, &stat) != 0 || (stat.valid & needed) != needed) {
    throw Error(origin_ + ": cannot stat record '" + name + "' (" + zip_strerror(archive_) + ")");
  }
  if (stat.comp_method == ZIP_CM_STORE) {
    if (stat.size != stat.comp_size || stat.size > archive_bytes_) {
      throw Error(origin_ + ": record '" + name + "' declares " + std::to_string(stat.size) +
                  " bytes, more than the archive holds");
    }
  } else if (stat.comp_method == ZIP_CM_DEFLATE) {
    if (stat.comp_size > archive_bytes_ || stat.size / kMaxDeflateRatio > stat.comp_size) {
      throw Error(origin_ + ": record '" + name + "' declares an impossible size (" + std::to_string(stat.size) +
                  " bytes from " + std::to_string(stat.comp_size) + " compressed)");
    }
  } else {
    throw Error(origin_ + ": record '" + name + "' uses zip compression method " +
                std::to_string(stat.comp_method) + "; only stored and deflated records are read");
  }

  zip_file_t* file = zip_fopen_index(archive_, index, 0);
  if (file == nullptr) throw Error(origin_ + ": cannot open record '" + name + "' (" + zip_strerror(archive_) + ")");
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(stat.size));
  std::uint64_t filled = 0;
  // Read past the declared end: libzip checks the CRC only when it reaches the
  // end of the record, and a longer stream than declared is corruption too.
  std::uint8_t overflow_probe = 0;
  while (true) {
    const std::uint64_t wanted = std::min<std::uint64_t>(kReadChunk, stat.size - filled);
    void* target = wanted > 0 ? static_cast<void*>(bytes.data() + filled) : &overflow_probe;
    const zip_int64_t got = zip_fread(file, target, wanted > 0 ? wanted : 1);
    if (got < 0) {
      const std::string message = zip_file_strerror(file);
      zip_fclose(file);
      throw Error(origin_ + ": cannot read record '" + name + "' (" + message + ")");
    }
    if (got == 0) break;
    if (wanted == 0) {
      zip_fclose(file);
      throw Error(origin_ + ": record '" + name + "' is longer than its declared " + std::to_string(stat.size) +
                  " bytes");
    }
    filled += static_cast<std::uint64_t>(got);
  }
  const int close_status = zip_fclose(file);
  if (filled != stat.size) {
    throw Error(origin_ + ": record '" + name + "' is truncated (" + std::to_string(filled) + " of " +
                std::to_string(stat.size) + " bytes)");
  }
  if (close_status != 0) {
    zip_error_t error;
    zip_error_init_with_code(&error, close_status);
    throw Error(origin_ + ": cannot read record '" + name + "' (" + libzip_message(error) + ")");
  }
  return bytes;
}

}  // namespace edgeport
