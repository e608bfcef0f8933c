#include "eqm/eqm_container.h"

#include <array>
#include <cstring>

#include "core/error.h"
#include "core/file_io.h"
#include "core/sha256.h"
#include "eqm/eqm_header.h"

namespace edgeport {

namespace {

constexpr std::array<std::uint8_t, 8> kMagic = {0x89, 'E', 'Q', 'M', '\r', '\n', 0x1A, '\n'};
constexpr std::size_t kPreambleSize = 32;

void put_u32(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value >> (8 * i));
}

void put_u64(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value >> (8 * i));
}

std::uint64_t get_le(const std::vector<std::uint8_t>& bytes, std::size_t at, int width) {
  std::uint64_t value = 0;
  for (int i = 0; i < width; ++i)
    value |= static_cast<std::uint64_t>(bytes[at + static_cast<std::size_t>(i)]) << (8 * i);
  return value;
}

std::uint64_t aligned(std::uint64_t offset) { return (offset + kEqmAlignment - 1) / kEqmAlignment * kEqmAlignment; }

}  // namespace

std::vector<std::uint8_t> encode_container(const Graph& graph) {
  std::vector<EqmBlob> blobs;
  nlohmann::json header = graph_to_header(graph, blobs);
  const std::uint64_t data_size = blobs.empty() ? 0 : blobs.back().offset + blobs.back().nbytes;
  std::vector<std::uint8_t> data(data_size, 0);
  for (const EqmBlob& blob : blobs) {
    const Tensor& tensor = graph.constant(blob.value_id);
    if (blob.nbytes) std::memcpy(data.data() + blob.offset, tensor.raw(), blob.nbytes);
  }
  header["data_sha256"] = sha256_hex(data.data(), data.size());
  const std::string header_text = header.dump();
  const std::uint64_t data_start = aligned(kPreambleSize + header_text.size());

  std::vector<std::uint8_t> bytes(data_start + data_size, 0);
  std::copy(kMagic.begin(), kMagic.end(), bytes.begin());
  put_u32(bytes, 8, kEqmVersion);
  put_u32(bytes, 12, 0);
  put_u64(bytes, 16, header_text.size());
  put_u64(bytes, 24, data_size);
  std::memcpy(bytes.data() + kPreambleSize, header_text.data(), header_text.size());
  if (data_size) std::memcpy(bytes.data() + data_start, data.data(), data_size);
  return bytes;
}

Graph decode_container(const std::vector<std::uint8_t>& bytes, const std::string& origin) {
  if (bytes.size() < kPreambleSize) {
    throw Error(origin + ": truncated .eqm file (" + std::to_string(bytes.size()) +
                " bytes, the preamble alone is 32)");
  }
  if (!std::equal(kMagic.begin(), kMagic.end(), bytes.begin())) throw Error(origin + ": not an .eqm file (bad magic)");
  const std::uint64_t version = get_le(bytes, 8, 4);
  if (version != kEqmVersion) {
    throw Error(origin + ": .eqm version " + std::to_string(version) + " is not supported (this build reads version " +
                std::to_string(kEqmVersion) + ")");
  }
  if (get_le(bytes, 12, 4) != 0) throw Error(origin + ": reserved preamble field is not zero");
  const std::uint64_t header_size = get_le(bytes, 16, 8);
  const std::uint64_t data_size = get_le(bytes, 24, 8);
  const std::uint64_t available = bytes.size() - kPreambleSize;
  if (header_size > available) {
    throw Error(origin + ": truncated .eqm file (header of " + std::to_string(header_size) + " bytes, " +
                std::to_string(available) + " left)");
  }
  const std::uint64_t data_start = aligned(kPreambleSize + header_size);
  if (data_start > bytes.size() || data_size > bytes.size() - data_start) {
    throw Error(origin + ": truncated .eqm file (" + std::to_string(bytes.size()) + " bytes, expected " +
                std::to_string(data_start) + " + " + std::to_string(data_size) + ")");
  }
  if (bytes.size() != data_start + data_size) {
    throw Error(origin + ": " + std::to_string(bytes.size() - data_start - data_size) +
                " unexpected bytes after the data section");
  }
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes.begin() + kPreambleSize,
                                   bytes.begin() + static_cast<std::ptrdiff_t>(kPreambleSize + header_size));
  } catch (const nlohmann::json::exception& error) {
    throw Error(origin + ": malformed .eqm header JSON (" + error.what() + ")");
  }
  const std::uint8_t* data = bytes.data() + data_start;
  if (!header.is_object() || !header.contains("data_sha256") || !header["data_sha256"].is_string()) {
    throw Error(origin + ": .eqm header has no data_sha256");
  }
  if (header["data_sha256"].get<std::string>() != sha256_hex(data, data_size)) {
    throw Error(origin + ": .eqm data section is corrupt (SHA-256 mismatch)");
  }
  return header_to_graph(header, data, data_size, origin);
}

void write_container(const Graph& graph, const std::filesystem::path& path) {
  write_file_atomically(path, encode_container(graph), [&path](const std::filesystem::path& written) {
    decode_container(read_file_bytes(written), path.string());
  });
}

Graph read_container(const std::filesystem::path& path) {
  return decode_container(read_file_bytes(path), path.string());
}

}  // namespace edgeport
