#include "core/graph.h"

#include <set>

#include "core/error.h"
#include "core/op_registry.h"
#include "core/unique_names.h"

namespace edgeport {

int Graph::add_input(const std::string& name, DType dtype, Shape shape) {
  values.push_back(Value{name, dtype, std::move(shape), std::nullopt, std::nullopt});
  const int id = static_cast<int>(values.size()) - 1;
  inputs.push_back(id);
  return id;
}

int Graph::add_constant(const std::string& name, Tensor tensor) {
  Value constant_value{name, tensor.dtype(), tensor.shape(), std::nullopt, tensor.quant};
  constant_value.constant = std::move(tensor);
  values.push_back(std::move(constant_value));
  return static_cast<int>(values.size()) - 1;
}

std::vector<int> Graph::add_node(const std::string& op, const std::string& name, std::vector<int> node_inputs,
                                 Attributes attrs) {
  Node node{op, name, std::move(node_inputs), {}, std::move(attrs)};
  for (int input : node.inputs) {
    if (input != kNoValue && (input < 0 || input >= static_cast<int>(values.size()))) {
      fail_node(node, "input id " + std::to_string(input) + " does not exist");
    }
  }
  infer_node(node);
  nodes.push_back(std::move(node));
  return nodes.back().outputs;
}

int Graph::add(const std::string& op, const std::string& name, std::vector<int> node_inputs, Attributes attrs) {
  std::vector<int> created = add_node(op, name, std::move(node_inputs), std::move(attrs));
  if (created.size() != 1) throw Error("node '" + name + "' (" + op + ") does not have exactly one output");
  return created.front();
}

void Graph::infer_node(Node& node) {
  const OpSchema* schema = OpRegistry::find(node.op);
  if (!schema) fail_node(node, "unknown op");
  const int arity = static_cast<int>(node.inputs.size());
  if (arity < schema->min_inputs || arity > schema->max_inputs) {
    fail_node(node, "takes " + std::to_string(schema->min_inputs) + " to " + std::to_string(schema->max_inputs) +
                        " inputs, got " + std::to_string(arity));
  }
  std::vector<ValueType> types = schema->infer(*this, node);
  if (node.outputs.empty()) {
    for (std::size_t i = 0; i < types.size(); ++i) {
      const std::string output_name = types.size() == 1 ? node.name : node.name + ":" + std::to_string(i);
      values.push_back(Value{output_name, types[i].dtype, types[i].shape, std::nullopt, std::nullopt});
      node.outputs.push_back(static_cast<int>(values.size()) - 1);
    }
    return;
  }
  if (node.outputs.size() != types.size()) fail_node(node, "output count changed");
  for (std::size_t i = 0; i < types.size(); ++i) {
    Value& output = values[static_cast<std::size_t>(node.outputs[i])];
    output.dtype = types[i].dtype;
    output.shape = types[i].shape;
  }
}

Value& Graph::value(int id) {
  if (id < 0 || id >= static_cast<int>(values.size())) throw Error("value id " + std::to_string(id) + " out of range");
  return values[static_cast<std::size_t>(id)];
}

const Value& Graph::value(int id) const {
  if (id < 0 || id >= static_cast<int>(values.size())) throw Error("value id " + std::to_string(id) + " out of range");
  return values[static_cast<std::size_t>(id)];
}

int Graph::find_value(const std::string& name) const {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int Graph::producer(int value_id) const {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (int output : nodes[i].outputs) {
      if (output == value_id) return static_cast<int>(i);
    }
  }
  return -1;
}

std::vector<int> Graph::consumers(int value_id) const {
  std::vector<int> result;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (int input : nodes[i].inputs) {
      if (input == value_id) {
        result.push_back(static_cast<int>(i));
        break;
      }
    }
  }
  return result;
}

const Tensor& Graph::constant(int value_id) const {
  const Value& constant_value = value(value_id);
  if (!constant_value.constant) throw Error("value '" + constant_value.name + "' is not a constant");
  return *constant_value.constant;
}

void Graph::infer_shapes() {
  for (Node& node : nodes) infer_node(node);
}

void Graph::validate() const {
  if (outputs.empty()) throw Error("graph has no outputs");
  std::vector<bool> available(values.size(), false);
  for (int input : inputs) {
    if (input < 0 || input >= static_cast<int>(values.size())) {
      throw Error("graph input id " + std::to_string(input) + " is out of range");
    }
    available[static_cast<std::size_t>(input)] = true;
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].constant) available[i] = true;
  }
  for (const Node& node : nodes) {
    if (!OpRegistry::find(node.op)) fail_node(node, "unknown op");
    for (int input : node.inputs) {
      if (input == kNoValue) continue;
      if (input < 0 || input >= static_cast<int>(values.size())) fail_node(node, "input id out of range");
      if (!available[static_cast<std::size_t>(input)]) {
        fail_node(node, "reads '" + values[static_cast<std::size_t>(input)].name + "' before it is produced");
      }
    }
    for (int output : node.outputs) {
      if (output < 0 || output >= static_cast<int>(values.size())) fail_node(node, "output id out of range");
      available[static_cast<std::size_t>(output)] = true;
    }
  }
  for (int output : outputs) {
    if (output < 0 || output >= static_cast<int>(values.size()) || !available[static_cast<std::size_t>(output)]) {
      throw Error("graph output id " + std::to_string(output) + " is never produced");
    }
    const Value& value = values[static_cast<std::size_t>(output)];
    if (!value.shape.empty() && shape_numel(value.shape) == 0) {
      throw Error("graph output '" + value.name + "' is empty (shape " + shape_to_string(value.shape) + ")");
    }
  }
}

void Graph::compact() {
  std::vector<bool> needed(values.size(), false);
  for (int output : outputs) needed[static_cast<std::size_t>(output)] = true;
  std::vector<bool> keep_node(nodes.size(), false);
  for (std::size_t i = nodes.size(); i-- > 0;) {
    bool used = false;
    for (int output : nodes[i].outputs) used = used || needed[static_cast<std::size_t>(output)];
    if (!used) continue;
    keep_node[i] = true;
    for (int input : nodes[i].inputs) {
      if (input != kNoValue) needed[static_cast<std::size_t>(input)] = true;
    }
  }
  for (int input : inputs) needed[static_cast<std::size_t>(input)] = true;

  std::vector<int> remap(values.size(), kNoValue);
  std::vector<Value> kept_values;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!needed[i]) continue;
    remap[i] = static_cast<int>(kept_values.size());
    kept_values.push_back(std::move(values[i]));
  }
  auto renumber = [&remap](std::vector<int>& ids) {
    for (int& id : ids) {
      if (id != kNoValue) id = remap[static_cast<std::size_t>(id)];
    }
  };
  std::vector<Node> kept_nodes;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (!keep_node[i]) continue;
    renumber(nodes[i].inputs);
    renumber(nodes[i].outputs);
    kept_nodes.push_back(std::move(nodes[i]));
  }
  renumber(inputs);
  renumber(outputs);
  values = std::move(kept_values);
  nodes = std::move(kept_nodes);
}

std::string Graph::unique_name(const std::string& base) const {
  UniqueNames taken;
  for (const Value& existing : values) taken.reserve(existing.name);
  for (const Node& node : nodes) taken.reserve(node.name);
  return taken.fresh(base);
}

}  // namespace edgeport
