#include "tflite/lowering_registry.h"

#include "tflite/registry_table.h"

namespace edgeport {
namespace {

RegistryTable<std::string, TfliteLowering>& lowerings() {
  static RegistryTable<std::string, TfliteLowering> table;
  return table;
}

RegistryTable<std::string, std::string>& refusals() {
  static RegistryTable<std::string, std::string> table;
  return table;
}

std::string claim(const std::string& ir_op) {
  const std::string what = "the TFLite lowering of IR op '" + ir_op + "'";
  if (lowerings().contains(ir_op) || refusals().contains(ir_op)) throw std::logic_error(what + " is registered twice");
  return what;
}

}  // namespace

void TfliteLoweringRegistry::add(const std::string& ir_op, TfliteLowering lowering) {
  lowerings().add(ir_op, std::move(lowering), claim(ir_op));
}

void TfliteLoweringRegistry::refuse(const std::string& ir_op, std::string reason) {
  refusals().add(ir_op, std::move(reason), claim(ir_op));
}

const TfliteLowering* TfliteLoweringRegistry::find(const std::string& ir_op) { return lowerings().find(ir_op); }

std::optional<std::string> TfliteLoweringRegistry::refusal(const std::string& ir_op) {
  const std::string* reason = refusals().find(ir_op);
  return reason ? std::optional<std::string>(*reason) : std::nullopt;
}

std::set<std::string> TfliteLoweringRegistry::lowerable() {
  std::set<std::string> ops;
  for (const auto& [ir_op, lowering] : lowerings().entries()) ops.insert(ir_op);
  return ops;
}

TfliteLoweringRegistration::TfliteLoweringRegistration(const std::vector<std::string>& ir_ops,
                                                       const TfliteLowering& lowering) {
  for (const std::string& ir_op : ir_ops) TfliteLoweringRegistry::add(ir_op, lowering);
}

TfliteLoweringRefusal::TfliteLoweringRefusal(const std::vector<std::string>& ir_ops, const std::string& reason) {
  for (const std::string& ir_op : ir_ops) TfliteLoweringRegistry::refuse(ir_op, reason);
}

}  // namespace edgeport
