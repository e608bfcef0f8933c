#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "core/graph.h"
#include "core/unique_names.h"
#include "onnx/onnx_export.h"

namespace edgeport {

// An int8 (or uint8) weight: the constant holding the codes, with its
// quantization parameters, both as the file stores them. The weight input of
// a Conv / Linear is either the output of a Dequantize of such a constant, or
// the constant itself (hybrid).
struct QuantizedWeight {
  int constant = kNoValue;
  Tensor codes;
  QuantParams params;
};

// Builds the nodes and initializers of one ONNX graph from an IR graph. Every
// IR value keeps its name (made unique); helper tensors get fresh names.
class OnnxEmitter {
 public:
  OnnxEmitter(const Graph& graph, const OnnxExportOptions& options, onnx::GraphProto& proto);

  const Graph& graph() const { return graph_; }
  const OnnxExportOptions& options() const { return options_; }
  int opset() const { return options_.opset; }

  // The ONNX tensor carrying an IR value. Constants become initializers, and a
  // Dequantize of a constant is written when first read, so a weight consumed
  // only by integer ops never gets one.
  std::string tensor(int value_id);
  // The name the producer of an IR value must give its output.
  std::string output_name(int value_id) const { return names_.at(static_cast<std::size_t>(value_id)); }
  std::string output_of(const Node& node, std::size_t index = 0) const { return output_name(node.outputs.at(index)); }
  std::string fresh(const std::string& base) { return taken_.fresh(base); }

  std::string initializer(const std::string& base, const Tensor& tensor);
  std::string float_scalar(float value);
  std::string int64_vector(const std::string& base, const std::vector<std::int64_t>& values);

  onnx::NodeProto& add_node(const std::string& op, const std::string& name, const std::vector<std::string>& inputs,
                            const std::vector<std::string>& outputs);
  // Writes an IR node as the ONNX op of the same name, inputs and outputs.
  void add_same_op(const Node& node);

  // The quantized weight a Conv / Linear / MatMul reads, or nothing when its
  // weight is float.
  std::optional<QuantizedWeight> quantized_weight(int weight_value) const;
  // The dtype and parameters of a quantized value's codes in the file: int8
  // weight codes become uint8 unless options().int8_weight_codes.
  DType dtype_as_written(int value_id) const;
  std::optional<QuantParams> params_as_written(int value_id) const;

  // The float tensor of an IR value: for an integer constant with
  // quantization parameters (a hybrid weight) its dequantized values, once per
  // constant; otherwise tensor().
  std::string float_tensor(int value_id);
  // A new initializer of integer codes and the float tensor of their values.
  std::string dequantized(const std::string& base, const Tensor& codes, const QuantParams& params);
  // Writes output = the real values of integer codes: DequantizeLinear
  // (per-axis from opset 13), or Cast -> Sub(zero points) -> Mul(scales)
  // below opset 13 for per-axis parameters, which computes the same values.
  void write_dequantize(const std::string& node_name, const std::string& input, DType dtype, const Shape& shape,
                        const QuantParams& params, const std::string& output);

  // Where a node with a fused "activation" attribute writes its linear result:
  // the IR output itself, or a fresh tensor that finish_activation() feeds
  // through Relu or Clip into the IR output.
  std::string pre_activation_output(const Node& node);
  void finish_activation(const Node& node, const std::string& pre_activation);

  void emit_graph();

  // [codes, scale, zero point] of a float IR value quantized by one
  // DynamicQuantizeLinear, shared by every integer op that reads it.
  const std::vector<std::string>& dynamic_quantized(int value_id);

  // Whether the batch axis is symbolic.
  bool dynamic_batch() const { return options_.dynamic_batch; }
  // Name of the symbolic batch dimension.
  static constexpr const char* kBatchSymbol = "batch";

 private:
  void emit_node(const Node& node);
  bool stores_as_uint8(int value_id) const;

  const Graph& graph_;
  const OnnxExportOptions& options_;
  onnx::GraphProto& proto_;
  std::vector<std::string> names_;
  std::vector<bool> written_;
  UniqueNames taken_;
  std::map<float, std::string> float_scalars_;
  std::map<int, std::string> dequantized_constants_;
  std::map<int, std::vector<std::string>> dynamic_quantized_;
  std::set<int> float16_constants_;
};

void set_attribute(onnx::NodeProto& node, const std::string& name, std::int64_t value);
void set_attribute(onnx::NodeProto& node, const std::string& name, float value);
void set_attribute(onnx::NodeProto& node, const std::string& name, const std::string& value);
void set_attribute(onnx::NodeProto& node, const std::string& name, const std::vector<std::int64_t>& values);

[[noreturn]] void fail_export(const Node& node, const std::string& problem);

}  // namespace edgeport
