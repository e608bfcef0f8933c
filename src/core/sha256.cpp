#include "core/sha256.h"

#include <openssl/evp.h>

#include <array>
#include <cstdio>

#include "core/error.h"
#include "core/file_io.h"

namespace edgeport {

std::string sha256_hex(const std::uint8_t* data, std::size_t size) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data, size, digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw Error("SHA-256 computation failed");
  }
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    hex += pair;
  }
  return hex;
}

std::string sha256_file_hex(const std::filesystem::path& path) {
  const std::vector<std::uint8_t> bytes = read_file_bytes(path);
  return sha256_hex(bytes.data(), bytes.size());
}

}  // namespace edgeport
