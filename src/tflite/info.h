#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace edgeport {

// What `edgeport info` reports about a .tflite file: file size, inputs and
// outputs (name, shape, type, quantization), an operator histogram with
// versions, tensors by type with their bytes, the activation arena a
// microcontroller needs (tflite/arena_estimate.h), the readiness for integer
// targets (tflite/readiness.h), every quantized tensor with its parameters,
// metadata and signatures. The file is verified first.
nlohmann::json tflite_info(const std::filesystem::path& path);
nlohmann::json tflite_info(const std::vector<std::uint8_t>& bytes, const std::string& origin);

// "activation arena: N bytes (...): fits 1 MB of SRAM (...)", from
// tflite_arena_json (tflite/arena_estimate.h).
std::string format_tflite_arena(const nlohmann::json& arena);

// The same report as readable text.
std::string format_tflite_info(const nlohmann::json& info);

}  // namespace edgeport
