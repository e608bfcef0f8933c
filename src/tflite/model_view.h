#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "tflite/schema_generated.h"

namespace edgeport {

// Checked access to a TFLite FlatBuffer held in memory. Construction runs the
// FlatBuffers Verifier and checks the model-level invariants; every accessor
// bounds-checks its indices. Failures are Errors that start with the origin
// (usually the file path).
class TfliteModelView {
 public:
  TfliteModelView(const std::vector<std::uint8_t>& bytes, std::string origin);

  const tflite::Model& model() const { return *model_; }
  // Subgraph 0, the main graph.
  const tflite::SubGraph& subgraph() const { return *subgraph_; }
  const std::string& origin() const { return origin_; }
  [[noreturn]] void fail(const std::string& problem) const;

  int tensor_count() const { return static_cast<int>(subgraph_->tensors()->size()); }
  const tflite::Tensor& tensor(int index) const;
  std::string tensor_name(int index) const;
  // "tensor 7 'conv1'", for messages.
  std::string tensor_label(int index) const;
  Shape shape(int index) const;
  DType dtype(int index) const;
  // A tensor is constant when its buffer holds data.
  bool is_constant(int index) const;
  // The constant's data with its quantization parameters attached.
  Tensor constant(int index) const;
  // Affine parameters; per-channel when there is more than one scale, or when
  // `channel_dimension` is given and its extent matches the single scale.
  // std::nullopt when the tensor has no scales.
  std::optional<QuantParams> quantization(int index, int channel_dimension = -1) const;

  int operator_count() const;
  const tflite::Operator& op(int index) const;
  tflite::BuiltinOperator operator_code(int index) const;
  int operator_version(int index) const;
  // "operator 3 (CONV_2D)", for messages.
  std::string operator_label(int index) const;
  // Input tensor indices, each checked (-1 marks an absent optional input).
  std::vector<int> operator_inputs(int index) const;
  std::vector<int> operator_outputs(int index) const;

  std::vector<int> subgraph_inputs() const;
  std::vector<int> subgraph_outputs() const;

  // Model.metadata entries whose buffers hold text (NUL padding stripped).
  std::map<std::string, std::string> text_metadata() const;
  // Every Model.metadata entry with its buffer size in bytes.
  std::vector<std::pair<std::string, std::size_t>> metadata_sizes() const;

  // The schema's name of a builtin code, or its number when it has none.
  static std::string code_name(tflite::BuiltinOperator code);
  // "BUILTIN_<number>".
  static std::string code_number(tflite::BuiltinOperator code);
  static std::string type_name(tflite::TensorType type);
  // Bytes per element (1 for the byte-sized and unsized types).
  static std::size_t element_size(tflite::TensorType type);

 private:
  const tflite::Buffer* buffer_of(int tensor_index) const;
  std::vector<int> checked_indices(const flatbuffers::Vector<std::int32_t>* indices, bool allow_absent,
                                   const std::string& what) const;

  std::string origin_;
  const tflite::Model* model_ = nullptr;
  const tflite::SubGraph* subgraph_ = nullptr;
};

}  // namespace edgeport
