#include "onnx/onnx_model_io.h"

#include <climits>

#include <google/protobuf/io/coded_stream.h>

#include "core/error.h"
#include "core/file_io.h"

namespace edgeport {

onnx::ModelProto parse_onnx_model(const std::vector<std::uint8_t>& bytes, const std::string& origin) {
  if (bytes.empty()) throw Error(origin + ": empty file, not an ONNX model");
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    throw Error(origin + ": larger than the 2 GiB a protobuf file can hold (external data is not supported)");
  }
  google::protobuf::io::CodedInputStream stream(bytes.data(), static_cast<int>(bytes.size()));
  stream.SetTotalBytesLimit(INT_MAX);
  stream.SetRecursionLimit(100);
  onnx::ModelProto model;
  if (!model.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage()) {
    throw Error(origin + ": not a valid ONNX model (the protobuf does not parse)");
  }
  if (!model.has_graph()) throw Error(origin + ": the ONNX model has no graph");
  return model;
}

onnx::ModelProto load_onnx_model(const std::filesystem::path& path) {
  return parse_onnx_model(read_file_bytes(path), path.string());
}

std::vector<std::uint8_t> serialize_onnx_model(const onnx::ModelProto& model) {
  const std::size_t size = model.ByteSizeLong();
  if (size > static_cast<std::size_t>(INT_MAX)) {
    throw Error("the ONNX model needs " + std::to_string(size) + " bytes, more than a protobuf file can hold");
  }
  std::vector<std::uint8_t> bytes(size);
  if (!model.SerializeToArray(bytes.data(), static_cast<int>(size))) throw Error("cannot serialize the ONNX model");
  return bytes;
}

}  // namespace edgeport
