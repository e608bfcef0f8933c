#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/graph.h"

namespace edgeport {

struct ValueType {
  DType dtype = DType::Float32;
  Shape shape;
};

// What the IR knows about an op: arity and how output types follow from the
// inputs and attributes. Each op declares itself in one file of src/core/ops/.
struct OpSchema {
  std::string name;
  int min_inputs = 1;
  int max_inputs = 1;
  std::function<std::vector<ValueType>(const Graph& graph, const Node& node)> infer;
};

class OpRegistry {
 public:
  static void add(OpSchema schema);
  // nullptr when the op is unknown.
  static const OpSchema* find(const std::string& op);
  static std::vector<std::string> names();
};

struct OpRegistration {
  explicit OpRegistration(OpSchema schema) { OpRegistry::add(std::move(schema)); }
};

// Helpers shared by shape rules.
const Value& node_input(const Graph& graph, const Node& node, std::size_t index);
[[noreturn]] void fail_node(const Node& node, const std::string& problem);

}  // namespace edgeport
