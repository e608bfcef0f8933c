#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

namespace edgeport {

// Parses a serialized ModelProto within protobuf's limits (2 GiB, nesting
// depth 100); malformed or truncated bytes give an Error starting with origin.
onnx::ModelProto parse_onnx_model(const std::vector<std::uint8_t>& bytes, const std::string& origin);
onnx::ModelProto load_onnx_model(const std::filesystem::path& path);

// Throws when the model is too large for one protobuf file.
std::vector<std::uint8_t> serialize_onnx_model(const onnx::ModelProto& model);

}  // namespace edgeport
