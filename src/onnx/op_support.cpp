#include "onnx/op_support.h"

#include "onnx/op_registry.h"

namespace edgeport {
namespace {

std::optional<std::string> reason_for(const std::map<std::string, std::string>& refusals, const std::string& ir_op) {
  auto found = refusals.find(ir_op);
  if (found == refusals.end()) return std::nullopt;
  return found->second;
}

}  // namespace

std::set<std::string> onnx_importable_ir_ops() {
  std::set<std::string> ops;
  for (const NodeImporterSpec* spec : node_importers()) ops.insert(spec->ir_ops.begin(), spec->ir_ops.end());
  return ops;
}

std::set<std::string> onnx_writable_ir_ops() {
  const std::vector<std::string> ops = writable_ops();
  return {ops.begin(), ops.end()};
}

std::optional<std::string> onnx_import_refusal(const std::string& ir_op) {
  return reason_for(import_refusals(), ir_op);
}

std::optional<std::string> onnx_export_refusal(const std::string& ir_op) {
  return reason_for(export_refusals(), ir_op);
}

}  // namespace edgeport
