#include "tflite/model_view.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.h"

namespace edgeport {

namespace {

constexpr std::uint32_t kSchemaVersion = 3;
// No edge model comes near this many elements (8 GB of float32) in one
// tensor; the bound keeps element counts of hostile files far from integer
// overflow and their activations from absurd allocations.
constexpr std::int64_t kMaxElements = std::int64_t{1} << 31;

}  // namespace

TfliteModelView::TfliteModelView(const std::vector<std::uint8_t>& bytes, std::string origin)
    : origin_(std::move(origin)) {
  if (bytes.size() < 8 || !tflite::ModelBufferHasIdentifier(bytes.data())) {
    fail("not a TFLite file (no TFL3 identifier)");
  }
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  if (!tflite::VerifyModelBuffer(verifier)) fail("the FlatBuffer fails verification (corrupt or truncated file)");
  model_ = tflite::GetModel(bytes.data());
  if (model_->version() != kSchemaVersion) {
    fail("schema version " + std::to_string(model_->version()) + ", expected " + std::to_string(kSchemaVersion));
  }
  if (!model_->subgraphs() || model_->subgraphs()->size() == 0) fail("the model has no subgraph");
  if (!model_->buffers()) fail("the model has no buffer table");
  if (!model_->operator_codes() && model_->subgraphs()->Get(0)->operators() &&
      model_->subgraphs()->Get(0)->operators()->size() > 0) {
    fail("the model has operators but no operator codes");
  }
  subgraph_ = model_->subgraphs()->Get(0);
  if (!subgraph_->tensors()) fail("subgraph 0 has no tensor table");
}

std::size_t TfliteModelView::element_size(tflite::TensorType type) {
  switch (type) {
    case tflite::TensorType::FLOAT64:
    case tflite::TensorType::INT64:
    case tflite::TensorType::COMPLEX64: return 8;
    case tflite::TensorType::FLOAT32:
    case tflite::TensorType::INT32: return 4;
    case tflite::TensorType::FLOAT16:
    case tflite::TensorType::INT16: return 2;
    default: return 1;
  }
}

void TfliteModelView::fail(const std::string& problem) const { throw Error(origin_ + ": " + problem); }

const tflite::Tensor& TfliteModelView::tensor(int index) const {
  if (index < 0 || index >= tensor_count()) {
    fail("tensor index " + std::to_string(index) + " is out of range (" + std::to_string(tensor_count()) +
         " tensors)");
  }
  return *subgraph_->tensors()->Get(static_cast<flatbuffers::uoffset_t>(index));
}

std::string TfliteModelView::tensor_name(int index) const {
  const tflite::Tensor& entry = tensor(index);
  return entry.name() && entry.name()->size() > 0 ? entry.name()->str() : "tensor_" + std::to_string(index);
}

std::string TfliteModelView::tensor_label(int index) const {
  return "tensor " + std::to_string(index) + " '" + tensor_name(index) + "'";
}

Shape TfliteModelView::shape(int index) const {
  const tflite::Tensor& entry = tensor(index);
  Shape result;
  std::int64_t elements = 1;
  if (entry.shape()) {
    for (std::int32_t extent : *entry.shape()) {
      if (extent < 0) fail(tensor_label(index) + " has an unknown extent; only static shapes are supported");
      result.push_back(extent);
      if (extent > 0 && elements > kMaxElements / extent) fail(tensor_label(index) + " is implausibly large");
      elements *= std::max<std::int64_t>(extent, 1);
    }
  }
  return result;
}

DType TfliteModelView::dtype(int index) const {
  switch (tensor(index).type()) {
    case tflite::TensorType::FLOAT32: return DType::Float32;
    case tflite::TensorType::FLOAT16: return DType::Float16;
    case tflite::TensorType::FLOAT64: return DType::Float64;
    case tflite::TensorType::INT32: return DType::Int32;
    case tflite::TensorType::INT64: return DType::Int64;
    case tflite::TensorType::INT16: return DType::Int16;
    case tflite::TensorType::INT8: return DType::Int8;
    case tflite::TensorType::UINT8: return DType::UInt8;
    case tflite::TensorType::BOOL: return DType::Bool;
    default: break;
  }
  fail(tensor_label(index) + " has type " + type_name(tensor(index).type()) + ", which is not supported");
}

const tflite::Buffer* TfliteModelView::buffer_of(int tensor_index) const {
  const std::uint32_t buffer = tensor(tensor_index).buffer();
  if (buffer >= model_->buffers()->size()) {
    fail(tensor_label(tensor_index) + " refers to buffer " + std::to_string(buffer) + " of " +
         std::to_string(model_->buffers()->size()));
  }
  const tflite::Buffer* entry = model_->buffers()->Get(buffer);
  if (entry->offset() > 1) {
    fail(tensor_label(tensor_index) + " keeps its data outside the FlatBuffer (a model over 2 GB), which is not supported");
  }
  return entry;
}

bool TfliteModelView::is_constant(int index) const {
  const tflite::Buffer* entry = buffer_of(index);
  return entry->data() && entry->data()->size() > 0;
}

Tensor TfliteModelView::constant(int index) const {
  if (tensor(index).sparsity()) fail(tensor_label(index) + " is sparse, which is not supported");
  const tflite::Buffer* entry = buffer_of(index);
  const DType type = dtype(index);
  const Shape extents = shape(index);
  std::size_t expected = 0;
  try {
    expected = shape_nbytes(extents, type);
  } catch (const Error& error) {
    fail(tensor_label(index) + ": " + error.what());
  }
  const std::size_t stored = entry->data() ? entry->data()->size() : 0;
  if (stored != expected) {
    fail(tensor_label(index) + " of shape " + shape_to_string(extents) + " " + std::string(dtype_name(type)) +
         " needs " + std::to_string(expected) + " bytes, its buffer has " + std::to_string(stored));
  }
  std::vector<std::uint8_t> data(stored);
  if (stored > 0) std::memcpy(data.data(), entry->data()->data(), stored);
  Tensor result(type, extents, std::move(data));
  result.quant = quantization(index);
  return result;
}

std::optional<QuantParams> TfliteModelView::quantization(int index, int channel_dimension) const {
  const tflite::QuantizationParameters* parameters = tensor(index).quantization();
  if (!parameters || !parameters->scale() || parameters->scale()->size() == 0) return std::nullopt;
  if (parameters->details_type() != tflite::QuantizationDetails::NONE) {
    fail(tensor_label(index) + " uses custom quantization, which is not supported");
  }
  QuantParams result;
  for (float scale : *parameters->scale()) {
    if (!std::isfinite(scale) || scale <= 0.0f) fail(tensor_label(index) + " has a non-positive or non-finite scale");
    result.scale.push_back(scale);
  }
  const std::size_t count = result.scale.size();
  if (parameters->zero_point() && parameters->zero_point()->size() > 0) {
    for (std::int64_t zero : *parameters->zero_point()) {
      if (zero < INT32_MIN || zero > INT32_MAX) fail(tensor_label(index) + " has a zero point out of range");
      result.zero_point.push_back(static_cast<std::int32_t>(zero));
    }
  } else {
    result.zero_point.assign(count, 0);
  }
  const Shape extents = shape(index);
  if (count > 1) {
    result.axis = parameters->quantized_dimension();
  } else if (channel_dimension >= 0 && static_cast<std::size_t>(channel_dimension) < extents.size() &&
             extents[static_cast<std::size_t>(channel_dimension)] == 1) {
    result.axis = channel_dimension;
  }
  result.check(extents, origin_ + ": " + tensor_label(index));
  return result;
}

int TfliteModelView::operator_count() const {
  return subgraph_->operators() ? static_cast<int>(subgraph_->operators()->size()) : 0;
}

const tflite::Operator& TfliteModelView::op(int index) const {
  if (index < 0 || index >= operator_count()) fail("operator index " + std::to_string(index) + " is out of range");
  return *subgraph_->operators()->Get(static_cast<flatbuffers::uoffset_t>(index));
}

tflite::BuiltinOperator TfliteModelView::operator_code(int index) const {
  const std::uint32_t code_index = op(index).opcode_index();
  if (!model_->operator_codes() || code_index >= model_->operator_codes()->size()) {
    fail("operator " + std::to_string(index) + " refers to operator code " + std::to_string(code_index) +
         ", which does not exist");
  }
  const tflite::OperatorCode* code = model_->operator_codes()->Get(code_index);
  // Files from before builtin_code existed only set the deprecated byte.
  const auto deprecated = static_cast<std::int32_t>(code->deprecated_builtin_code());
  return static_cast<tflite::BuiltinOperator>(std::max(static_cast<std::int32_t>(code->builtin_code()), deprecated));
}

int TfliteModelView::operator_version(int index) const {
  operator_code(index);
  return model_->operator_codes()->Get(op(index).opcode_index())->version();
}

std::string TfliteModelView::operator_label(int index) const {
  return "operator " + std::to_string(index) + " (" + code_name(operator_code(index)) + ")";
}

std::vector<int> TfliteModelView::checked_indices(const flatbuffers::Vector<std::int32_t>* indices, bool allow_absent,
                                                  const std::string& what) const {
  std::vector<int> result;
  if (!indices) return result;
  for (std::int32_t index : *indices) {
    if ((index == -1 && allow_absent) || (index >= 0 && index < tensor_count())) {
      result.push_back(index);
    } else {
      fail(what + " refers to tensor " + std::to_string(index) + " of " + std::to_string(tensor_count()));
    }
  }
  return result;
}

std::vector<int> TfliteModelView::operator_inputs(int index) const {
  return checked_indices(op(index).inputs(), true, operator_label(index));
}

std::vector<int> TfliteModelView::operator_outputs(int index) const {
  return checked_indices(op(index).outputs(), false, operator_label(index));
}

std::vector<int> TfliteModelView::subgraph_inputs() const {
  return checked_indices(subgraph_->inputs(), false, "the subgraph's input list");
}

std::vector<int> TfliteModelView::subgraph_outputs() const {
  return checked_indices(subgraph_->outputs(), false, "the subgraph's output list");
}

std::map<std::string, std::string> TfliteModelView::text_metadata() const {
  std::map<std::string, std::string> result;
  if (!model_->metadata()) return result;
  for (const tflite::Metadata* entry : *model_->metadata()) {
    if (!entry->name() || entry->buffer() >= model_->buffers()->size()) continue;
    const tflite::Buffer* buffer = model_->buffers()->Get(entry->buffer());
    if (!buffer->data()) continue;
    std::string text(buffer->data()->begin(), buffer->data()->end());
    while (!text.empty() && text.back() == '\0') text.pop_back();
    const bool printable = std::all_of(text.begin(), text.end(), [](char c) {
      const auto byte = static_cast<unsigned char>(c);
      return byte >= 0x20 || c == '\n' || c == '\t' || c == '\r';
    });
    if (printable) result[entry->name()->str()] = text;
  }
  return result;
}

std::vector<std::pair<std::string, std::size_t>> TfliteModelView::metadata_sizes() const {
  std::vector<std::pair<std::string, std::size_t>> result;
  if (!model_->metadata()) return result;
  for (const tflite::Metadata* entry : *model_->metadata()) {
    std::size_t size = 0;
    if (entry->buffer() < model_->buffers()->size() && model_->buffers()->Get(entry->buffer())->data()) {
      size = model_->buffers()->Get(entry->buffer())->data()->size();
    }
    result.emplace_back(entry->name() ? entry->name()->str() : "", size);
  }
  return result;
}

std::string TfliteModelView::code_name(tflite::BuiltinOperator code) {
  const char* name = tflite::EnumNameBuiltinOperator(code);
  if (name && *name) return name;
  return code_number(code);
}

std::string TfliteModelView::code_number(tflite::BuiltinOperator code) {
  return "BUILTIN_" + std::to_string(static_cast<std::int32_t>(code));
}

std::string TfliteModelView::type_name(tflite::TensorType type) {
  const char* name = tflite::EnumNameTensorType(type);
  if (name && *name) return name;
  return "TYPE_" + std::to_string(static_cast<int>(type));
}

}  // namespace edgeport
