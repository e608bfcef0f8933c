#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace edgeport::testing {

using FileBytes = std::vector<std::uint8_t>;

void write_bytes(const std::filesystem::path& path, const FileBytes& bytes);

// An ONNX model with one Relu whose input and output declare these extents.
FileBytes onnx_relu_model(const std::vector<std::int64_t>& dims);
// An ONNX model whose only output is an empty float constant (shape [0]).
FileBytes onnx_empty_constant_output();

// A valid .eqm written by `edgeport quantize` from the bundled sample, with
// its JSON header changed by `edit` (the data section and its hash kept
// consistent).
FileBytes edited_sample_eqm(const std::filesystem::path& scratch, const std::function<void(nlohmann::json&)>& edit);

// A .npy of one float32 whose header dictionary is padded to `header_length`
// characters.
FileBytes npy_with_long_header(std::size_t header_length);

// A PNG signature and IHDR declaring width x height 8-bit RGB, then an empty
// IDAT and IEND: the header a decompression bomb shows before its data.
FileBytes png_declaring(std::uint32_t width, std::uint32_t height);

}  // namespace edgeport::testing
