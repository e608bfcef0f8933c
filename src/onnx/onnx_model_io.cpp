#include "onnx/onnx_model_io.h"

#include <cerrno>
#include <climits>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>

#include "core/error.h"
#include "core/file_io.h"

namespace edgeport {

namespace {

void check_size(std::uint64_t size, const std::string& origin) {
  if (size == 0) throw Error(origin + ": empty file, not an ONNX model");
  if (size > static_cast<std::uint64_t>(INT_MAX)) {
    throw Error(origin + ": larger than the 2 GiB a protobuf file can hold (external data is not supported)");
  }
}

onnx::ModelProto parse(google::protobuf::io::CodedInputStream& stream, const std::string& origin) {
  stream.SetTotalBytesLimit(INT_MAX);
  stream.SetRecursionLimit(100);
  onnx::ModelProto model;
  if (!model.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage()) {
    throw Error(origin + ": not a valid ONNX model (the protobuf does not parse)");
  }
  if (!model.has_graph()) throw Error(origin + ": the ONNX model has no graph");
  return model;
}

}  // namespace

onnx::ModelProto parse_onnx_model(const std::vector<std::uint8_t>& bytes, const std::string& origin) {
  check_size(bytes.size(), origin);
  google::protobuf::io::CodedInputStream stream(bytes.data(), static_cast<int>(bytes.size()));
  return parse(stream, origin);
}

// Parsed straight from the descriptor: a deep model's file is never held in
// memory beside its parsed form.
onnx::ModelProto load_onnx_model(const std::filesystem::path& path) {
  const RegularFile file(path);
  check_size(file.size(), path.string());
  google::protobuf::io::FileInputStream input(file.descriptor());
  google::protobuf::io::CodedInputStream stream(&input);
  try {
    return parse(stream, path.string());
  } catch (const Error&) {
    if (input.GetErrno() == 0) throw;
    errno = input.GetErrno();
    file.fail("read error");
  }
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
