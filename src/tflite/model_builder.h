#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"
#include "tflite/schema_generated.h"

namespace edgeport {

// One tensor of the subgraph being written. `data` empty means no buffer
// (an activation); constants own their little-endian bytes.
struct TfliteTensorSpec {
  std::string name;
  tflite::TensorType type = tflite::TensorType::FLOAT32;
  std::vector<std::int32_t> shape;
  std::vector<std::uint8_t> data;
  bool constant = false;
  // Axis is the TFLite quantized_dimension (0 for per-tensor parameters).
  std::optional<QuantParams> quant;
};

// What an operator's builtin options say that its version depends on.
struct TfliteOptionFacts {
  bool dilated = false;
  bool keep_num_dims = false;
  bool asymmetric_quantize_inputs = false;
  bool align_corners_or_half_pixel = false;
};

struct TfliteOptions {
  tflite::BuiltinOptions type = tflite::BuiltinOptions::NONE;
  std::function<flatbuffers::Offset<void>(flatbuffers::FlatBufferBuilder&)> build;
  TfliteOptionFacts facts;
};

// Collects the tensors, operators and metadata of a single-subgraph model and
// serializes it as a TFLite FlatBuffer (schema version 3, identifier TFL3).
class TfliteModelBuilder {
 public:
  int add_tensor(TfliteTensorSpec spec);
  const TfliteTensorSpec& tensor(int index) const { return tensors_.at(static_cast<std::size_t>(index)); }
  TfliteTensorSpec& tensor(int index) { return tensors_.at(static_cast<std::size_t>(index)); }
  std::size_t tensor_count() const { return tensors_.size(); }

  // Inputs may hold -1 for an absent optional input. The operator's version
  // follows TFLite's op_version rules for the tensor types given.
  void add_operator(tflite::BuiltinOperator code, std::vector<int> inputs, std::vector<int> outputs,
                    TfliteOptions options = {});

  void set_inputs(std::vector<int> inputs) { inputs_ = std::move(inputs); }
  void set_outputs(std::vector<int> outputs) { outputs_ = std::move(outputs); }
  void set_description(std::string description) { description_ = std::move(description); }
  void add_metadata(const std::string& name, const std::string& text) { metadata_.emplace_back(name, text); }

  // Builtin code and version of each operator added so far, in order.
  std::vector<std::pair<tflite::BuiltinOperator, int>> operator_kinds() const;

  // The model as FlatBuffer bytes. The constant tensors' data moves into it,
  // so the builder is spent afterwards.
  std::vector<std::uint8_t> finish();

 private:
  struct OperatorEntry {
    tflite::BuiltinOperator code;
    int version;
    std::vector<int> inputs;
    std::vector<int> outputs;
    TfliteOptions options;
  };

  std::vector<TfliteTensorSpec> tensors_;
  std::vector<OperatorEntry> operators_;
  std::vector<int> inputs_;
  std::vector<int> outputs_;
  std::string description_;
  std::vector<std::pair<std::string, std::string>> metadata_;
};

}  // namespace edgeport
