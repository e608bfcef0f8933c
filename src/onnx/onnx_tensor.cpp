#include "onnx/onnx_tensor.h"

#include <cstring>
#include <limits>

#include "core/error.h"

namespace edgeport {
namespace {

// Beyond this many elements a tensor cannot be in a protobuf file (2 GiB).
constexpr std::int64_t kMaxElements = std::int64_t{1} << 31;

template <typename Target, typename Field>
std::vector<std::uint8_t> pack(const Field& field) {
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(field.size()) * sizeof(Target));
  for (int i = 0; i < field.size(); ++i) {
    const auto value = static_cast<Target>(field.Get(i));
    std::memcpy(bytes.data() + static_cast<std::size_t>(i) * sizeof(Target), &value, sizeof(Target));
  }
  return bytes;
}

// int32_data holds int8/uint8/int16/bool/float16 values widened to int32.
template <typename Target>
std::vector<std::uint8_t> pack_narrowed(const google::protobuf::RepeatedField<std::int32_t>& field,
                                        const std::string& origin) {
  for (std::int32_t value : field) {
    if (value < std::numeric_limits<Target>::lowest() || value > std::numeric_limits<Target>::max()) {
      throw Error(origin + ": value " + std::to_string(value) + " does not fit the tensor's element type");
    }
  }
  return pack<Target>(field);
}

}  // namespace

onnx::TensorProto_DataType onnx_dtype(DType dtype) {
  switch (dtype) {
    case DType::Float32: return onnx::TensorProto_DataType_FLOAT;
    case DType::Float16: return onnx::TensorProto_DataType_FLOAT16;
    case DType::BFloat16: return onnx::TensorProto_DataType_BFLOAT16;
    case DType::Float64: return onnx::TensorProto_DataType_DOUBLE;
    case DType::Int64: return onnx::TensorProto_DataType_INT64;
    case DType::Int32: return onnx::TensorProto_DataType_INT32;
    case DType::Int16: return onnx::TensorProto_DataType_INT16;
    case DType::Int8: return onnx::TensorProto_DataType_INT8;
    case DType::UInt8: return onnx::TensorProto_DataType_UINT8;
    case DType::Bool: return onnx::TensorProto_DataType_BOOL;
  }
  throw Error("dtype " + std::string(dtype_name(dtype)) + " has no ONNX element type");
}

DType dtype_from_onnx(int element_type, const std::string& what) {
  switch (element_type) {
    case onnx::TensorProto_DataType_FLOAT: return DType::Float32;
    case onnx::TensorProto_DataType_FLOAT16: return DType::Float16;
    case onnx::TensorProto_DataType_BFLOAT16: return DType::BFloat16;
    case onnx::TensorProto_DataType_DOUBLE: return DType::Float64;
    case onnx::TensorProto_DataType_INT64: return DType::Int64;
    case onnx::TensorProto_DataType_INT32: return DType::Int32;
    case onnx::TensorProto_DataType_INT16: return DType::Int16;
    case onnx::TensorProto_DataType_INT8: return DType::Int8;
    case onnx::TensorProto_DataType_UINT8: return DType::UInt8;
    case onnx::TensorProto_DataType_BOOL: return DType::Bool;
    default: break;
  }
  const std::string type_name = onnx::TensorProto_DataType_IsValid(element_type)
                                    ? onnx::TensorProto_DataType_Name(element_type)
                                    : "code " + std::to_string(element_type);
  throw Error(what + ": element type " + type_name + " is not supported");
}

onnx::TensorProto tensor_to_onnx(const Tensor& tensor, const std::string& name) {
  onnx::TensorProto proto;
  proto.set_name(name);
  proto.set_data_type(onnx_dtype(tensor.dtype()));
  for (std::int64_t extent : tensor.shape()) proto.add_dims(extent);
  proto.set_raw_data(tensor.raw(), tensor.nbytes());
  return proto;
}

Tensor tensor_from_onnx(const onnx::TensorProto& proto, const std::string& origin) {
  if (proto.data_location() == onnx::TensorProto_DataLocation_EXTERNAL || proto.external_data_size() > 0) {
    throw Error(origin + ": stored in an external data file, which is not supported");
  }
  if (proto.has_segment()) throw Error(origin + ": segmented tensors are not supported");
  const DType dtype = dtype_from_onnx(proto.data_type(), origin);
  Shape shape;
  std::int64_t count = 1;
  for (std::int64_t extent : proto.dims()) {
    if (extent < 0) throw Error(origin + ": negative dimension " + std::to_string(extent));
    if (extent > 0 && count > kMaxElements / extent) throw Error(origin + ": dimensions are too large");
    count *= extent;
    shape.push_back(extent);
  }
  const std::size_t expected_bytes = static_cast<std::size_t>(count) * dtype_size(dtype);
  std::vector<std::uint8_t> bytes;
  if (proto.has_raw_data()) {
    const std::string& raw = proto.raw_data();
    bytes.assign(raw.begin(), raw.end());
  } else {
    switch (dtype) {
      case DType::Float32: bytes = pack<float>(proto.float_data()); break;
      case DType::Float64: bytes = pack<double>(proto.double_data()); break;
      case DType::Int64: bytes = pack<std::int64_t>(proto.int64_data()); break;
      case DType::Int32: bytes = pack<std::int32_t>(proto.int32_data()); break;
      case DType::Int16: bytes = pack_narrowed<std::int16_t>(proto.int32_data(), origin); break;
      case DType::Int8: bytes = pack_narrowed<std::int8_t>(proto.int32_data(), origin); break;
      case DType::UInt8:
      case DType::Bool: bytes = pack_narrowed<std::uint8_t>(proto.int32_data(), origin); break;
      case DType::Float16:
      case DType::BFloat16: bytes = pack_narrowed<std::uint16_t>(proto.int32_data(), origin); break;
    }
  }
  if (bytes.size() != expected_bytes) {
    throw Error(origin + ": shape " + shape_to_string(shape) + " " + std::string(dtype_name(dtype)) + " needs " +
                std::to_string(expected_bytes) + " bytes of data, the file holds " + std::to_string(bytes.size()));
  }
  return Tensor(dtype, std::move(shape), std::move(bytes));
}

}  // namespace edgeport
