#include "tflite/op_support.h"

#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"

namespace edgeport {

std::set<std::string> tflite_importable_ir_ops() { return TfliteImportRegistry::importable(); }

std::set<std::string> tflite_lowerable_ir_ops() { return TfliteLoweringRegistry::lowerable(); }

std::optional<std::string> tflite_import_refusal(const std::string& ir_op) {
  return TfliteImportRegistry::refusal(ir_op);
}

std::optional<std::string> tflite_lowering_refusal(const std::string& ir_op) {
  return TfliteLoweringRegistry::refusal(ir_op);
}

}  // namespace edgeport
