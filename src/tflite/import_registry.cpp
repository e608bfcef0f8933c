#include "tflite/import_registry.h"

#include "tflite/registry_table.h"

namespace edgeport {
namespace {

RegistryTable<tflite::BuiltinOperator, TfliteImport>& imports() {
  static RegistryTable<tflite::BuiltinOperator, TfliteImport> table;
  return table;
}

std::set<std::string>& produced() {
  static std::set<std::string> ops;
  return ops;
}

RegistryTable<std::string, std::string>& refusals() {
  static RegistryTable<std::string, std::string> table;
  return table;
}

}  // namespace

void TfliteImportRegistry::add(tflite::BuiltinOperator code, TfliteImport import) {
  imports().add(code, std::move(import), "the TFLite import of " + TfliteModelView::code_name(code));
}

void TfliteImportRegistry::produces(const std::string& ir_op) { produced().insert(ir_op); }

void TfliteImportRegistry::refuse(const std::string& ir_op, std::string reason) {
  refusals().add(ir_op, std::move(reason), "the TFLite import refusal of IR op '" + ir_op + "'");
}

const TfliteImport* TfliteImportRegistry::find(tflite::BuiltinOperator code) { return imports().find(code); }

std::set<std::string> TfliteImportRegistry::importable() { return produced(); }

std::optional<std::string> TfliteImportRegistry::refusal(const std::string& ir_op) {
  const std::string* reason = refusals().find(ir_op);
  return reason ? std::optional<std::string>(*reason) : std::nullopt;
}

TfliteImportRegistration::TfliteImportRegistration(const std::vector<tflite::BuiltinOperator>& codes,
                                                   const std::vector<std::string>& produces,
                                                   const TfliteImport& import) {
  for (tflite::BuiltinOperator code : codes) TfliteImportRegistry::add(code, import);
  for (const std::string& ir_op : produces) TfliteImportRegistry::produces(ir_op);
}

TfliteImportRefusal::TfliteImportRefusal(const std::vector<std::string>& ir_ops, const std::string& reason) {
  for (const std::string& ir_op : ir_ops) TfliteImportRegistry::refuse(ir_op, reason);
}

void import_operator(ImportContext& context, int index) {
  const tflite::BuiltinOperator code = context.model.operator_code(index);
  const TfliteImport* import = TfliteImportRegistry::find(code);
  if (!import) {
    // The number as well as the name: a file may come from a newer schema,
    // whose names for new codes edgeport cannot know.
    const std::string name = TfliteModelView::code_name(code);
    const std::string number = TfliteModelView::code_number(code);
    context.model.fail("operator " + std::to_string(index) + " (" + (name == number ? name : name + ", " + number) +
                       "), version " + std::to_string(context.model.operator_version(index)) +
                       ", is not supported by edgeport's TFLite reader");
  }
  OperatorSite site{context, index, context.model.operator_inputs(index), context.model.operator_outputs(index)};
  (*import)(site);
}

}  // namespace edgeport
