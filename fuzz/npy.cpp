// Accepts any bytes as a .npy file (an input given with --sample).
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "core/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    edgeport::parse_npy({data, data + size}, "fuzz.npy");
  } catch (const edgeport::Error&) {
    // The reader refused bad input, as it should.
  }
  return 0;
}
