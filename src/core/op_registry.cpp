#include "core/op_registry.h"

#include <map>

#include "core/error.h"

namespace edgeport {

namespace {

std::map<std::string, OpSchema>& schemas() {
  static std::map<std::string, OpSchema> registry;
  return registry;
}

}  // namespace

void OpRegistry::add(OpSchema schema) {
  const std::string name = schema.name;
  schemas()[name] = std::move(schema);
}

const OpSchema* OpRegistry::find(const std::string& op) {
  auto found = schemas().find(op);
  return found == schemas().end() ? nullptr : &found->second;
}

std::vector<std::string> OpRegistry::names() {
  std::vector<std::string> result;
  for (const auto& entry : schemas()) result.push_back(entry.first);
  return result;
}

const Value& node_input(const Graph& graph, const Node& node, std::size_t index) {
  if (index >= node.inputs.size() || node.inputs[index] == kNoValue) {
    fail_node(node, "input " + std::to_string(index) + " is missing");
  }
  return graph.value(node.inputs[index]);
}

void fail_node(const Node& node, const std::string& problem) {
  throw Error("node '" + node.name + "' (" + node.op + "): " + problem);
}

}  // namespace edgeport
