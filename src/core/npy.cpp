#include "core/npy.h"

#include <cstring>

#include "core/error.h"
#include "core/file_io.h"
#include "core/npy_header.h"

namespace edgeport {

namespace {

struct NpyType {
  const char* descr;
  DType dtype;
};
constexpr NpyType kNpyTypes[] = {
    {"<f4", DType::Float32}, {"<f2", DType::Float16}, {"<f8", DType::Float64}, {"<i8", DType::Int64},
    {"<i4", DType::Int32},   {"<i2", DType::Int16},   {"|i1", DType::Int8},    {"|u1", DType::UInt8},
    {"|b1", DType::Bool},
};

// np.load refuses headers over 10,000 bytes unless told otherwise, and the
// dtypes read here need a hundred.
constexpr std::size_t kMaxHeaderLength = 10000;

}  // namespace

Tensor parse_npy(const std::vector<std::uint8_t>& bytes, const std::string& origin) {
  static const char kMagic[] = "\x93NUMPY";
  if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, 6) != 0) throw Error(origin + ": not a .npy file");
  const std::uint8_t major = bytes[6];
  std::size_t header_length;
  std::size_t header_start;
  if (major == 1) {
    header_length = bytes[8] | (static_cast<std::size_t>(bytes[9]) << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw Error(origin + ": truncated .npy header");
    header_length = bytes[8] | (static_cast<std::size_t>(bytes[9]) << 8) |
                    (static_cast<std::size_t>(bytes[10]) << 16) | (static_cast<std::size_t>(bytes[11]) << 24);
    header_start = 12;
  } else {
    throw Error(origin + ": unsupported .npy version " + std::to_string(major));
  }
  if (header_start + header_length > bytes.size()) throw Error(origin + ": truncated .npy header");
  if (header_length > kMaxHeaderLength) {
    throw Error(origin + ": .npy header of " + std::to_string(header_length) + " bytes is longer than NumPy's limit of " +
                std::to_string(kMaxHeaderLength));
  }
  const NpyHeader header = parse_npy_header(
      std::string(reinterpret_cast<const char*>(bytes.data() + header_start), header_length), origin);
  const std::string& descr = header.descr;
  const NpyType* type = nullptr;
  for (const NpyType& candidate : kNpyTypes) {
    if (descr == candidate.descr || (descr.size() == 3 && descr[0] == '=' && descr.substr(1) == candidate.descr + 1)) {
      type = &candidate;
    }
  }
  if (!type) throw Error(origin + ": unsupported .npy dtype '" + descr.substr(0, 20) + "' (little-endian numeric only)");
  if (header.fortran_order) {
    throw Error(origin + ": Fortran-ordered .npy arrays are not supported; save with np.ascontiguousarray");
  }
  const Shape& shape = header.shape;
  const std::size_t data_start = header_start + header_length;
  std::size_t expected = 0;
  try {
    expected = shape_nbytes(shape, type->dtype);
  } catch (const Error& error) {
    throw Error(origin + ": " + error.what());
  }
  if (bytes.size() - data_start != expected) {
    throw Error(origin + ": .npy data is " + std::to_string(bytes.size() - data_start) + " bytes, shape " +
                shape_to_string(shape) + " needs " + std::to_string(expected));
  }
  return Tensor(type->dtype, shape, std::vector<std::uint8_t>(bytes.begin() + static_cast<long>(data_start), bytes.end()));
}

Tensor read_npy(const std::filesystem::path& path) { return parse_npy(read_file_bytes(path), path.string()); }

std::vector<std::uint8_t> encode_npy(const Tensor& tensor) {
  const char* descr = nullptr;
  for (const NpyType& candidate : kNpyTypes) {
    if (candidate.dtype == tensor.dtype()) descr = candidate.descr;
  }
  if (!descr) throw Error("cannot write " + std::string(dtype_name(tensor.dtype())) + " as .npy");
  std::string shape_text = "(";
  for (std::int64_t extent : tensor.shape()) shape_text += std::to_string(extent) + ",";
  if (tensor.rank() > 1) shape_text.pop_back();
  shape_text += ")";
  std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shape_text + ", }";
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::vector<std::uint8_t> bytes = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  bytes.push_back(static_cast<std::uint8_t>(header.size() & 0xFF));
  bytes.push_back(static_cast<std::uint8_t>(header.size() >> 8));
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.insert(bytes.end(), tensor.raw(), tensor.raw() + tensor.nbytes());
  return bytes;
}

void write_npy(const std::filesystem::path& path, const Tensor& tensor) {
  write_file_atomically(path, encode_npy(tensor));
}

}  // namespace edgeport
