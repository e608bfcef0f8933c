#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/attributes.h"
#include "core/tensor.h"

namespace edgeport {

// Marks an optional input that is absent (e.g. a Conv without bias).
constexpr int kNoValue = -1;

// A named edge of the graph: a graph input, a constant (weights) or the
// output of a node. Layout is whatever the op semantics say (NCHW for the
// canonical ops, see src/core/ops/).
struct Value {
  std::string name;
  DType dtype = DType::Float32;
  Shape shape;
  std::optional<Tensor> constant;
  std::optional<QuantParams> quant;
};

struct Node {
  std::string op;
  std::string name;
  std::vector<int> inputs;
  std::vector<int> outputs;
  Attributes attrs;
};

// Nodes are kept in topological order: every node only reads values that are
// graph inputs, constants, or outputs of earlier nodes.
class Graph {
 public:
  int add_input(const std::string& name, DType dtype, Shape shape);
  int add_constant(const std::string& name, Tensor tensor);
  // Appends a node and creates its outputs (named after the node), with
  // dtypes and shapes from the op's schema. Returns the output value ids.
  std::vector<int> add_node(const std::string& op, const std::string& name, std::vector<int> inputs,
                            Attributes attrs = {});
  // The common single-output case of add_node.
  int add(const std::string& op, const std::string& name, std::vector<int> inputs, Attributes attrs = {});
  void mark_output(int value_id) { outputs.push_back(value_id); }

  Value& value(int id);
  const Value& value(int id) const;
  // -1 when no value has that name.
  int find_value(const std::string& name) const;
  // Index into nodes of the node producing value_id, or -1 for inputs/constants.
  int producer(int value_id) const;
  std::vector<int> consumers(int value_id) const;
  bool is_constant(int value_id) const { return value_id >= 0 && value(value_id).constant.has_value(); }
  const Tensor& constant(int value_id) const;

  // Re-derives output dtypes and shapes of every node, in order.
  void infer_shapes();
  // Checks ids, topological order and that every op is known; throws Error
  // naming the first offending node.
  void validate() const;
  // Drops nodes whose outputs nobody reads and values nobody references,
  // renumbering value ids.
  void compact();
  std::string unique_name(const std::string& base) const;

  std::vector<Value> values;
  std::vector<Node> nodes;
  std::vector<int> inputs;
  std::vector<int> outputs;
  std::map<std::string, std::string> metadata;

 private:
  void infer_node(Node& node);
};

}  // namespace edgeport
