#include "core/error.h"
#include "onnx/onnx_import.h"
#include "onnx/onnx_importer.h"
#include "onnx/onnx_model_io.h"

namespace edgeport {

Graph import_onnx_model(onnx::ModelProto model, const std::string& origin, const OnnxImportOptions& options) {
  return OnnxImporter(std::move(model), origin, options).run();
}

Graph read_onnx(const std::filesystem::path& path, const OnnxImportOptions& options) {
  return import_onnx_model(load_onnx_model(path), path.string(), options);
}

}  // namespace edgeport
