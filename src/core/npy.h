#pragma once

#include <filesystem>

#include "core/tensor.h"

namespace edgeport {

// NumPy .npy version 1.0-3.0, C order, little-endian; dtypes f2 f4 f8 i1 i2 i4 i8 u1 b1.
Tensor read_npy(const std::filesystem::path& path);
Tensor parse_npy(const std::vector<std::uint8_t>& bytes, const std::string& origin);
void write_npy(const std::filesystem::path& path, const Tensor& tensor);
std::vector<std::uint8_t> encode_npy(const Tensor& tensor);

}  // namespace edgeport
