// Accepts any bytes as an .eqm container and does what `edgeport info` and
// loading the model do with one: decode the graph and report it. The data
// section is covered by a SHA-256, so mutations reach the JSON header and the
// preamble; the graph checks see whatever the header describes.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "eqm/eqm_container.h"
#include "eqm/eqm_info.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const edgeport::Graph graph = edgeport::decode_container({data, data + size}, "fuzz.eqm");
    nlohmann::json info = edgeport::container_info(graph);
    info.update({{"file", "fuzz.eqm"}, {"file_bytes", size}});
    edgeport::format_container_info(info);
    // As `edgeport info --json` prints it.
    info.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const edgeport::Error&) {
    // The reader refused bad input, as it should.
  }
  return 0;
}
