#include "onnx/op_registry.h"

#include "core/error.h"

namespace edgeport {
namespace {

// Specs live in a list so that several ONNX op types can point at one.
std::vector<NodeImporterSpec>& importer_specs() {
  static std::vector<NodeImporterSpec> specs;
  return specs;
}

std::map<std::string, std::size_t>& importer_index() {
  static std::map<std::string, std::size_t> index;
  return index;
}

std::map<std::string, NodeWriter>& writers() {
  static std::map<std::string, NodeWriter> table;
  return table;
}

std::map<std::string, std::string>& mutable_import_refusals() {
  static std::map<std::string, std::string> reasons;
  return reasons;
}

std::map<std::string, std::string>& mutable_export_refusals() {
  static std::map<std::string, std::string> reasons;
  return reasons;
}

}  // namespace

NodeImporterRegistration::NodeImporterRegistration(NodeImporterSpec spec) {
  if (!spec.import && !spec.fold) throw Error("an ONNX importer of " + spec.onnx_ops.front() + " reads nothing");
  for (const std::string& onnx_op : spec.onnx_ops) {
    if (!importer_index().emplace(onnx_op, importer_specs().size()).second) {
      throw Error("ONNX op " + onnx_op + " has two importers");
    }
  }
  importer_specs().push_back(std::move(spec));
}

const NodeImporterSpec* find_node_importer(const std::string& onnx_op) {
  auto found = importer_index().find(onnx_op);
  return found == importer_index().end() ? nullptr : &importer_specs()[found->second];
}

std::vector<const NodeImporterSpec*> node_importers() {
  std::vector<const NodeImporterSpec*> specs;
  for (const NodeImporterSpec& spec : importer_specs()) specs.push_back(&spec);
  return specs;
}

NodeWriterRegistration::NodeWriterRegistration(std::vector<std::string> ir_ops, NodeWriter writer) {
  for (const std::string& ir_op : ir_ops) {
    if (!writers().emplace(ir_op, writer).second) throw Error("IR op " + ir_op + " has two ONNX writers");
  }
}

const NodeWriter* find_node_writer(const std::string& ir_op) {
  auto found = writers().find(ir_op);
  return found == writers().end() ? nullptr : &found->second;
}

std::vector<std::string> writable_ops() {
  std::vector<std::string> ops;
  for (const auto& [ir_op, writer] : writers()) ops.push_back(ir_op);
  return ops;
}

ImportRefusalRegistration::ImportRefusalRegistration(const std::string& ir_op, const std::string& reason) {
  mutable_import_refusals()[ir_op] = reason;
}

ExportRefusalRegistration::ExportRefusalRegistration(const std::string& ir_op, const std::string& reason) {
  mutable_export_refusals()[ir_op] = reason;
}

const std::map<std::string, std::string>& import_refusals() { return mutable_import_refusals(); }
const std::map<std::string, std::string>& export_refusals() { return mutable_export_refusals(); }

}  // namespace edgeport
