#include "hostile_files.h"

#include <onnx/onnx_pb.h>
#include <zlib.h>

#include <array>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "cli_runner.h"
#include "core/file_io.h"
#include "core/sha256.h"
#include "eqm/eqm_header.h"

namespace edgeport::testing {

namespace {

void set_tensor_type(onnx::ValueInfoProto& value, const std::string& name, const std::vector<std::int64_t>& dims) {
  value.set_name(name);
  onnx::TypeProto_Tensor* type = value.mutable_type()->mutable_tensor_type();
  type->set_elem_type(onnx::TensorProto_DataType_FLOAT);
  for (std::int64_t extent : dims) type->mutable_shape()->add_dim()->set_dim_value(extent);
}

FileBytes serialise(const onnx::ModelProto& model) {
  const std::string text = model.SerializeAsString();
  return FileBytes(text.begin(), text.end());
}

onnx::ModelProto empty_model() {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(13);
  model.mutable_graph()->set_name("hostile");
  return model;
}

void put_u32_le(FileBytes& bytes, std::size_t at, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value >> (8 * i));
}

std::uint64_t get_le(const FileBytes& bytes, std::size_t at, int width) {
  std::uint64_t value = 0;
  for (int i = 0; i < width; ++i) value |= std::uint64_t{bytes[at + static_cast<std::size_t>(i)]} << (8 * i);
  return value;
}

void append_be32(FileBytes& bytes, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(value >> shift));
}

void append_png_chunk(FileBytes& bytes, const std::string& type, const FileBytes& data) {
  append_be32(bytes, static_cast<std::uint32_t>(data.size()));
  FileBytes typed(type.begin(), type.end());
  typed.insert(typed.end(), data.begin(), data.end());
  bytes.insert(bytes.end(), typed.begin(), typed.end());
  append_be32(bytes, static_cast<std::uint32_t>(crc32(0, typed.data(), static_cast<uInt>(typed.size()))));
}

}  // namespace

void write_bytes(const std::filesystem::path& path, const FileBytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

FileBytes onnx_relu_model(const std::vector<std::int64_t>& dims) {
  onnx::ModelProto model = empty_model();
  onnx::GraphProto* graph = model.mutable_graph();
  set_tensor_type(*graph->add_input(), "x", dims);
  set_tensor_type(*graph->add_output(), "y", dims);
  onnx::NodeProto* node = graph->add_node();
  node->set_op_type("Relu");
  node->add_input("x");
  node->add_output("y");
  return serialise(model);
}

FileBytes onnx_empty_constant_output() {
  onnx::ModelProto model = empty_model();
  onnx::GraphProto* graph = model.mutable_graph();
  set_tensor_type(*graph->add_input(), "x", {1});
  set_tensor_type(*graph->add_output(), "y", {0});
  onnx::NodeProto* node = graph->add_node();
  node->set_op_type("Constant");
  node->add_output("y");
  onnx::AttributeProto* value = node->add_attribute();
  value->set_name("value");
  value->set_type(onnx::AttributeProto_AttributeType_TENSOR);
  value->mutable_t()->set_data_type(onnx::TensorProto_DataType_FLOAT);
  value->mutable_t()->add_dims(0);
  return serialise(model);
}

FileBytes edited_sample_eqm(const std::filesystem::path& scratch, const std::function<void(nlohmann::json&)>& edit) {
  const std::filesystem::path written = scratch / "sample.eqm";
  if (!std::filesystem::exists(written)) {
    const CommandResult quantized = run_edgeport("quantize models/tiny_ladeda_sample.pt -o '" + written.string() + "'");
    if (quantized.exit_code != 0) throw std::runtime_error("quantize failed: " + quantized.output);
  }
  const FileBytes original = read_file_bytes(written);
  constexpr std::size_t kPreamble = 32;
  const std::uint64_t header_size = get_le(original, 16, 8);
  const std::uint64_t data_size = get_le(original, 24, 8);
  nlohmann::json header = nlohmann::json::parse(original.begin() + kPreamble,
                                                original.begin() + static_cast<std::ptrdiff_t>(kPreamble + header_size));
  edit(header);
  const FileBytes data(original.end() - static_cast<std::ptrdiff_t>(data_size), original.end());
  header["data_sha256"] = sha256_hex(data.data(), data.size());
  const std::string text = header.dump();
  const std::uint64_t data_start = (kPreamble + text.size() + kEqmAlignment - 1) / kEqmAlignment * kEqmAlignment;
  FileBytes bytes(data_start + data.size(), 0);
  std::copy(original.begin(), original.begin() + 16, bytes.begin());
  put_u32_le(bytes, 16, text.size(), 8);
  put_u32_le(bytes, 24, data.size(), 8);
  std::memcpy(bytes.data() + kPreamble, text.data(), text.size());
  std::copy(data.begin(), data.end(), bytes.begin() + static_cast<std::ptrdiff_t>(data_start));
  return bytes;
}

FileBytes npy_with_long_header(std::size_t header_length) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }";
  header.resize(header_length - 1, ' ');
  header += '\n';
  FileBytes bytes{0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0, 0, 0, 0};
  put_u32_le(bytes, 8, header.size(), 4);
  bytes.insert(bytes.end(), header.begin(), header.end());
  for (int i = 0; i < 4; ++i) bytes.push_back(0);
  return bytes;
}

FileBytes png_declaring(std::uint32_t width, std::uint32_t height) {
  FileBytes bytes{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  FileBytes header;
  append_be32(header, width);
  append_be32(header, height);
  header.insert(header.end(), {8, 2, 0, 0, 0});  // 8-bit RGB, deflate, no filter method, no interlace
  append_png_chunk(bytes, "IHDR", header);
  append_png_chunk(bytes, "IDAT", {0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
  append_png_chunk(bytes, "IEND", {});
  return bytes;
}

}  // namespace edgeport::testing
