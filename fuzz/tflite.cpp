// Accepts any bytes as a .tflite file and does what `edgeport info` and
// loading the model do with one: verify the FlatBuffer, report it, and import
// subgraph 0 into the graph IR.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "tflite/info.h"
#include "tflite/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::uint8_t> bytes(data, data + size);
  // Each is tried on its own: the inspector reports files the importer refuses.
  try {
    const nlohmann::json info = edgeport::tflite_info(bytes, "fuzz.tflite");
    edgeport::format_tflite_info(info);
    // As `edgeport info --json` prints it.
    info.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const edgeport::Error&) {
    // The reader refused bad input, as it should.
  }
  try {
    edgeport::parse_tflite(bytes, "fuzz.tflite");
  } catch (const edgeport::Error&) {
    // The reader refused bad input, as it should.
  }
  return 0;
}
