#include "tflite/version_registry.h"

#include "tflite/registry_table.h"

namespace edgeport {
namespace {

RegistryTable<tflite::BuiltinOperator, TfliteVersionRule>& rules() {
  static RegistryTable<tflite::BuiltinOperator, TfliteVersionRule> table;
  return table;
}

const TfliteTensorSpec* at(const std::vector<const TfliteTensorSpec*>& tensors, std::size_t position) {
  return position < tensors.size() ? tensors[position] : nullptr;
}

}  // namespace

const TfliteTensorSpec* TfliteVersionQuery::input(std::size_t position) const { return at(inputs, position); }

const TfliteTensorSpec* TfliteVersionQuery::output(std::size_t position) const { return at(outputs, position); }

TfliteVersionRegistration::TfliteVersionRegistration(const std::vector<tflite::BuiltinOperator>& codes,
                                                     const TfliteVersionRule& rule) {
  for (tflite::BuiltinOperator code : codes) {
    rules().add(code, rule, std::string("the version rule of ") + tflite::EnumNameBuiltinOperator(code));
  }
}

int tflite_operator_version(tflite::BuiltinOperator code, const std::vector<const TfliteTensorSpec*>& inputs,
                            const std::vector<const TfliteTensorSpec*>& outputs, const TfliteOptionFacts& facts) {
  const TfliteVersionRule* rule = rules().find(code);
  return rule ? (*rule)(TfliteVersionQuery{inputs, outputs, facts}) : 1;
}

}  // namespace edgeport
