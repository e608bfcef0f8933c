#pragma once

#include <optional>
#include <set>
#include <string>

namespace edgeport {

// IR ops that some TFLite importer of src/tflite/ops/ produces, and IR ops the lowering can write.
std::set<std::string> tflite_importable_ir_ops();
std::set<std::string> tflite_lowerable_ir_ops();
// The registered reason an IR op is never produced by the reader / cannot be lowered, or nullopt.
std::optional<std::string> tflite_import_refusal(const std::string& ir_op);
std::optional<std::string> tflite_lowering_refusal(const std::string& ir_op);

}  // namespace edgeport
