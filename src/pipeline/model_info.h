#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace edgeport {

// What `edgeport info` reports for any model file: for a checkpoint its
// tensors (name, dtype, shape, bytes), parameter count and inferred
// architecture; for ONNX and TFLite files their own inspectors; for an .eqm
// container its graph.
nlohmann::json model_info(const std::filesystem::path& path);
std::string format_model_info(const nlohmann::json& info);

}  // namespace edgeport
