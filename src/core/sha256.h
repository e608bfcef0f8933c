#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace edgeport {

// Lower-case hex SHA-256 (OpenSSL's libcrypto).
std::string sha256_hex(const std::uint8_t* data, std::size_t size);
std::string sha256_file_hex(const std::filesystem::path& path);

}  // namespace edgeport
