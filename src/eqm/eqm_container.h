#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/graph.h"

namespace edgeport {

// The .eqm container: any graph, stored losslessly (values with dtype, shape,
// constant bytes and quantization parameters; nodes with every attribute;
// graph inputs, outputs and metadata). Layout in docs/eqm_format.md: a
// 32-byte preamble (magic, version, header and data sizes), a JSON header,
// then 64-byte aligned raw tensor data covered by a SHA-256.
constexpr std::uint32_t kEqmVersion = 1;

std::vector<std::uint8_t> encode_container(const Graph& graph);
// Every failure is an Error that starts with `origin` (the file name) and
// says what is wrong: bad magic, unsupported version, truncation, offsets
// outside the data, checksum, malformed header, inconsistent graph.
Graph decode_container(const std::vector<std::uint8_t>& bytes, const std::string& origin);

// Writes atomically: the file appears only after it has been read back and
// decoded successfully.
void write_container(const Graph& graph, const std::filesystem::path& path);
Graph read_container(const std::filesystem::path& path);

}  // namespace edgeport
