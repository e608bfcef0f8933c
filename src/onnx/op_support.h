#pragma once

#include <optional>
#include <set>
#include <string>

namespace edgeport {

// IR ops that some ONNX importer of src/onnx/ops/ produces, and IR ops the writer can write.
std::set<std::string> onnx_importable_ir_ops();
std::set<std::string> onnx_writable_ir_ops();
// The registered reason an IR op is never produced by the reader / cannot be written, or nullopt.
std::optional<std::string> onnx_import_refusal(const std::string& ir_op);
std::optional<std::string> onnx_export_refusal(const std::string& ir_op);

}  // namespace edgeport
