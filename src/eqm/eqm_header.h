#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/graph.h"

namespace edgeport {

// Where one constant's bytes sit in the data section of a .eqm container.
struct EqmBlob {
  int value_id;
  std::uint64_t offset;
  std::uint64_t nbytes;
};

constexpr std::uint64_t kEqmAlignment = 64;

// The JSON header of a .eqm container; fills `blobs` with the data layout
// (offsets aligned to kEqmAlignment, in value order).
nlohmann::json graph_to_header(const Graph& graph, std::vector<EqmBlob>& blobs);

// Rebuilds the graph from a header and the data section, checking every
// field, id, size and offset; errors start with `origin`.
Graph header_to_graph(const nlohmann::json& header, const std::uint8_t* data, std::uint64_t data_size,
                      const std::string& origin);

}  // namespace edgeport
