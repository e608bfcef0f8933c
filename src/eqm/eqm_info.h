#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/graph.h"

namespace edgeport {

// What `edgeport info` reports for an .eqm container's graph: its inputs and
// outputs, node count and op histogram, constant bytes by dtype, every
// quantized tensor and the metadata.
nlohmann::json container_info(const Graph& graph);

// The text `edgeport info` prints; it also reads "file" and "file_bytes",
// which the caller adds.
std::string format_container_info(const nlohmann::json& info);

}  // namespace edgeport
