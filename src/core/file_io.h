#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace edgeport {

std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path);

// Writes through a temporary file in the same directory and renames it into
// place only after `check` (given the temporary path) accepts it, so a reader
// never sees a half-written or unverified file. The temporary is removed on
// any failure.
void write_file_atomically(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes,
                           const std::function<void(const std::filesystem::path&)>& check = {});
void write_file_atomically(const std::filesystem::path& path, const std::string& text,
                           const std::function<void(const std::filesystem::path&)>& check = {});

}  // namespace edgeport
