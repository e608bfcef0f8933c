#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace edgeport {

// The whole of a regular file. Directories, devices, FIFOs and sockets are
// refused before anything is read: reading them could block or never end.
std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path);
// The first `count` bytes of a regular file (fewer when it is shorter), with
// the same refusals.
std::vector<std::uint8_t> read_file_head(const std::filesystem::path& path, std::size_t count);

// Writes through a temporary file in the same directory and renames it into
// place only after `check` (given the temporary path) accepts it, so a reader
// never sees a half-written or unverified file. The temporary is removed on
// any failure.
void write_file_atomically(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes,
                           const std::function<void(const std::filesystem::path&)>& check = {});
void write_file_atomically(const std::filesystem::path& path, const std::string& text,
                           const std::function<void(const std::filesystem::path&)>& check = {});

}  // namespace edgeport
