#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace edgeport {

// What `edgeport info model.onnx` reports, from the protobuf alone (the file
// need not be importable): file size, IR version, opsets, producer, inputs
// and outputs (names, shapes with symbolic extents as strings, dtypes), node
// count and op histogram, initializers by dtype (count, elements, bytes),
// parameter count, quantized tensors (integer initializers read by
// DequantizeLinear, ConvInteger or MatMulInteger, with their scheme),
// metadata_props, and the result of the full ONNX check.
nlohmann::json onnx_info(const std::filesystem::path& path);
// The same for a file already in memory; `origin` names it.
nlohmann::json onnx_info(const std::vector<std::uint8_t>& bytes, const std::string& origin);

// The same as readable text.
std::string format_onnx_info(const nlohmann::json& info);

}  // namespace edgeport
