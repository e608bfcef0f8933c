#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "core/graph.h"
#include "core/unique_names.h"
#include "onnx/onnx_import.h"
#include "onnx/op_registry.h"

namespace edgeport {

// Builds an IR graph from one ONNX graph, node by node. Each ONNX tensor name
// maps to an IR value, a tensor known at import time (initializers, Constant,
// folded shape arithmetic), or both once a constant is read by an IR node.
class OnnxImporter {
 public:
  // The importer owns the model: each initializer's data is released once it
  // is read into a tensor, so a deep model's weights are not held twice.
  OnnxImporter(onnx::ModelProto model, std::string origin, const OnnxImportOptions& options);
  Graph run();

  // The node being imported.
  const onnx::NodeProto& node() const { return *node_; }
  // The IR name of the node being imported (its ONNX name, made unique).
  const std::string& node_name() const { return node_name_; }
  int opset() const { return opset_; }
  Graph& graph() { return graph_; }
  [[noreturn]] void fail(const std::string& problem) const;

  // Inputs of the current node. Absent optional inputs have empty names.
  bool has_input(std::size_t index) const;
  // The IR value of an input; a known tensor becomes an IR constant on first use.
  int input(std::size_t index);
  // The known tensor of an input, or nullptr when it is computed at run time.
  const Tensor* constant_input(std::size_t index) const;
  const Tensor& require_constant(std::size_t index, const std::string& what) const;
  DType input_dtype(std::size_t index) const;
  const Shape& input_shape(std::size_t index) const;
  bool all_inputs_constant() const;

  // Adds an IR node for the current node and binds its outputs to the ONNX
  // output names, in order. Returns the IR output ids.
  std::vector<int> emit(const std::string& op, const std::vector<int>& inputs, Attributes attrs = {});
  // An IR node whose outputs only feed other IR nodes of this ONNX node.
  int emit_helper(const std::string& op, const std::string& suffix, const std::vector<int>& inputs,
                  Attributes attrs = {});
  int add_constant(const std::string& base, Tensor tensor);
  void bind_output(std::size_t index, int value_id);
  void bind_output_constant(std::size_t index, Tensor tensor);
  // Makes output `index` another name for input `input_index`.
  void alias_output(std::size_t index, std::size_t input_index);
  // Outputs past the first must be unused (absent or never read).
  void require_single_output() const;

  // Attributes of the current node, type-checked.
  bool has_attribute(const std::string& name) const;
  std::int64_t attr_int(const std::string& name, std::int64_t fallback) const;
  float attr_float(const std::string& name, float fallback) const;
  std::string attr_string(const std::string& name, const std::string& fallback) const;
  std::vector<std::int64_t> attr_ints(const std::string& name, const std::vector<std::int64_t>& fallback) const;
  std::vector<float> attr_floats(const std::string& name, const std::vector<float>& fallback) const;
  const onnx::TensorProto* attr_tensor(const std::string& name) const;

  std::string origin_of(const std::string& tensor_name) const;

 private:
  struct Entry {
    int value = kNoValue;
    std::optional<Tensor> constant;
  };
  const Entry& entry(std::size_t index) const;
  // A name for an IR node or helper value that no ONNX tensor uses.
  std::string unique_name(const std::string& base);
  // An ONNX tensor's own name for its IR value (suffixed only on a clash).
  std::string claim(const std::string& tensor_name);
  void require_declared(const std::string& ir_op) const;
  void add_graph_inputs();
  void import_node();
  void mark_graph_outputs();

  onnx::ModelProto model_;
  std::string origin_;
  OnnxImportOptions options_;
  int opset_ = 0;
  Graph graph_;
  std::map<std::string, Entry> entries_;
  // Names given to IR values and nodes so far.
  UniqueNames claimed_;
  // Those and every tensor name of the file: invented names avoid both, so a
  // later ONNX tensor still gets its own name.
  UniqueNames invented_;
  const onnx::NodeProto* node_ = nullptr;
  const NodeImporterSpec* importer_ = nullptr;
  std::string node_name_;
};

}  // namespace edgeport
