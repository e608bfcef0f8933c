#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tflite/import_context.h"
#include "tflite/operator_site.h"

namespace edgeport {

// How one TFLite builtin becomes IR nodes. Each file of src/tflite/ops/
// registers the imports of the builtins it reads, with the IR ops they
// produce, and the reason an IR op of its family is never produced.
using TfliteImport = std::function<void(OperatorSite& site)>;

class TfliteImportRegistry {
 public:
  static void add(tflite::BuiltinOperator code, TfliteImport import);
  static void produces(const std::string& ir_op);
  static void refuse(const std::string& ir_op, std::string reason);
  // nullptr when the builtin is not read.
  static const TfliteImport* find(tflite::BuiltinOperator code);
  static std::set<std::string> importable();
  static std::optional<std::string> refusal(const std::string& ir_op);
};

struct TfliteImportRegistration {
  // `produces` lists every IR op the import may add, including those the
  // import context adds where a later reader needs another layout.
  TfliteImportRegistration(const std::vector<tflite::BuiltinOperator>& codes, const std::vector<std::string>& produces,
                           const TfliteImport& import);
};

struct TfliteImportRefusal {
  TfliteImportRefusal(const std::vector<std::string>& ir_ops, const std::string& reason);
};

// Translates operator `index` of subgraph 0 into IR nodes.
void import_operator(ImportContext& context, int index);

}  // namespace edgeport
