// Accepts any bytes as an .onnx file and does what `edgeport info` and
// loading the model do with one: the protobuf, the inspector with the ONNX
// checker and shape inference, and the importer into the graph IR with its
// constant folding.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "onnx/onnx_import.h"
#include "onnx/onnx_info.h"
#include "onnx/onnx_model_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::uint8_t> bytes(data, data + size);
  // Each is tried on its own: the inspector reports files the importer refuses.
  try {
    const nlohmann::json info = edgeport::onnx_info(bytes, "fuzz.onnx");
    edgeport::format_onnx_info(info);
    // As `edgeport info --json` prints it.
    info.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const edgeport::Error&) {
    // The reader refused bad input, as it should.
  }
  try {
    edgeport::import_onnx_model(edgeport::parse_onnx_model(bytes, "fuzz.onnx"), "fuzz.onnx");
  } catch (const edgeport::Error&) {
    // The reader refused bad input, as it should.
  }
  return 0;
}
