#include "tflite/model_builder.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "tflite/version_registry.h"

namespace edgeport {

namespace {

constexpr std::uint32_t kSchemaVersion = 3;
constexpr std::size_t kBufferAlignment = 16;

// The FlatBuffer's storage as vectors: the builder writes downward into a
// vector's tail, and the finished bytes move to its front, where they are
// handed out, instead of being copied into a second buffer as large as the
// model's weights.
class VectorAllocator : public flatbuffers::Allocator {
 public:
  std::uint8_t* allocate(std::size_t size) override {
    blocks_.emplace_back(size);
    return blocks_.back().data();
  }

  void deallocate(std::uint8_t* pointer, std::size_t) override {
    std::erase_if(blocks_, [pointer](const std::vector<std::uint8_t>& block) { return block.data() == pointer; });
  }

  // The vector holding [bytes, bytes + size), shortened to just those bytes;
  // the builder must not write again.
  std::vector<std::uint8_t> take(const std::uint8_t* bytes, std::size_t size) {
    for (auto block = blocks_.begin(); block != blocks_.end(); ++block) {
      if (bytes < block->data() || bytes + size > block->data() + block->size()) continue;
      std::memmove(block->data(), bytes, size);
      block->resize(size);
      std::vector<std::uint8_t> taken = std::move(*block);
      blocks_.erase(block);
      return taken;
    }
    throw Error("TFLite writer: the finished FlatBuffer lies outside the storage it was built in");
  }

 private:
  std::vector<std::vector<std::uint8_t>> blocks_;
};

}  // namespace

int TfliteModelBuilder::add_tensor(TfliteTensorSpec spec) {
  tensors_.push_back(std::move(spec));
  return static_cast<int>(tensors_.size()) - 1;
}

void TfliteModelBuilder::add_operator(tflite::BuiltinOperator code, std::vector<int> inputs, std::vector<int> outputs,
                                      TfliteOptions options) {
  auto lookup = [&](const std::vector<int>& indices) {
    std::vector<const TfliteTensorSpec*> specs;
    for (int index : indices) {
      if (index >= static_cast<int>(tensors_.size()) || index < -1) {
        throw Error("TFLite writer: operator " + std::string(tflite::EnumNameBuiltinOperator(code)) +
                    " refers to tensor " + std::to_string(index) + " which does not exist");
      }
      specs.push_back(index < 0 ? nullptr : &tensors_[static_cast<std::size_t>(index)]);
    }
    return specs;
  };
  const int version = tflite_operator_version(code, lookup(inputs), lookup(outputs), options.facts);
  operators_.push_back({code, version, std::move(inputs), std::move(outputs), std::move(options)});
}

std::vector<std::pair<tflite::BuiltinOperator, int>> TfliteModelBuilder::operator_kinds() const {
  std::vector<std::pair<tflite::BuiltinOperator, int>> kinds;
  for (const OperatorEntry& entry : operators_) kinds.emplace_back(entry.code, entry.version);
  return kinds;
}

std::vector<std::uint8_t> TfliteModelBuilder::finish() {
  std::size_t payload = 0;
  for (const TfliteTensorSpec& spec : tensors_) payload += spec.data.size() + kBufferAlignment;
  VectorAllocator storage;
  flatbuffers::FlatBufferBuilder fbb(payload + 64 * 1024, &storage);

  // Buffer 0 is the empty sentinel that every activation tensor points at.
  std::vector<flatbuffers::Offset<tflite::Buffer>> buffers{tflite::CreateBuffer(fbb)};
  auto add_buffer = [&](const std::uint8_t* bytes, std::size_t size) {
    fbb.ForceVectorAlignment(size, sizeof(std::uint8_t), kBufferAlignment);
    const auto data = fbb.CreateVector(bytes, size);
    buffers.push_back(tflite::CreateBuffer(fbb, data));
    return static_cast<std::uint32_t>(buffers.size() - 1);
  };

  std::vector<flatbuffers::Offset<tflite::Tensor>> tensors;
  for (TfliteTensorSpec& spec : tensors_) {
    const std::uint32_t buffer = spec.constant ? add_buffer(spec.data.data(), spec.data.size()) : 0;
    // Once in the FlatBuffer a weight is not held twice.
    std::vector<std::uint8_t>().swap(spec.data);
    flatbuffers::Offset<tflite::QuantizationParameters> quantization = 0;
    if (spec.quant) {
      std::vector<std::int64_t> zero_points(spec.quant->zero_point.begin(), spec.quant->zero_point.end());
      quantization = tflite::CreateQuantizationParameters(
          fbb, 0, 0, fbb.CreateVector(spec.quant->scale), fbb.CreateVector(zero_points),
          tflite::QuantizationDetails::NONE, 0, std::max(spec.quant->axis, 0));
    }
    tensors.push_back(tflite::CreateTensor(fbb, fbb.CreateVector(spec.shape), spec.type, buffer,
                                           fbb.CreateString(spec.name), quantization));
  }

  std::vector<std::pair<tflite::BuiltinOperator, int>> codes;
  std::vector<flatbuffers::Offset<tflite::Operator>> operators;
  for (const OperatorEntry& entry : operators_) {
    const std::pair<tflite::BuiltinOperator, int> kind{entry.code, entry.version};
    auto found = std::find(codes.begin(), codes.end(), kind);
    if (found == codes.end()) found = codes.insert(codes.end(), kind);
    const auto opcode_index = static_cast<std::uint32_t>(found - codes.begin());
    const auto options = entry.options.build ? entry.options.build(fbb) : flatbuffers::Offset<void>();
    operators.push_back(tflite::CreateOperator(fbb, opcode_index, fbb.CreateVector(entry.inputs),
                                               fbb.CreateVector(entry.outputs), entry.options.type, options));
  }
  std::vector<flatbuffers::Offset<tflite::OperatorCode>> operator_codes;
  for (const auto& [code, version] : codes) {
    const auto placeholder = static_cast<std::int32_t>(tflite::BuiltinOperator::PLACEHOLDER_FOR_GREATER_OP_CODES);
    const auto deprecated = static_cast<std::int8_t>(std::min(static_cast<std::int32_t>(code), placeholder));
    operator_codes.push_back(tflite::CreateOperatorCode(fbb, deprecated, 0, version, code));
  }

  const auto subgraph = tflite::CreateSubGraph(fbb, fbb.CreateVector(tensors), fbb.CreateVector(inputs_),
                                               fbb.CreateVector(outputs_), fbb.CreateVector(operators),
                                               fbb.CreateString("main"));

  auto tensor_maps = [&](const std::vector<int>& indices) {
    std::vector<flatbuffers::Offset<tflite::TensorMap>> maps;
    for (int index : indices) {
      maps.push_back(tflite::CreateTensorMap(fbb, fbb.CreateString(tensor(index).name),
                                             static_cast<std::uint32_t>(index)));
    }
    return fbb.CreateVector(maps);
  };
  const auto signature_inputs = tensor_maps(inputs_);
  const auto signature_outputs = tensor_maps(outputs_);
  const auto signature = tflite::CreateSignatureDef(fbb, signature_inputs, signature_outputs,
                                                    fbb.CreateString("serving_default"), 0);

  std::vector<flatbuffers::Offset<tflite::Metadata>> metadata;
  for (const auto& [name, text] : metadata_) {
    const std::uint32_t buffer = add_buffer(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    metadata.push_back(tflite::CreateMetadata(fbb, fbb.CreateString(name), buffer));
  }

  const auto model = tflite::CreateModel(
      fbb, kSchemaVersion, fbb.CreateVector(operator_codes), fbb.CreateVector(&subgraph, 1),
      fbb.CreateString(description_), fbb.CreateVector(buffers), 0, fbb.CreateVector(metadata),
      fbb.CreateVector(&signature, 1));
  tflite::FinishModelBuffer(fbb, model);
  return storage.take(fbb.GetBufferPointer(), fbb.GetSize());
}

}  // namespace edgeport
