// Accepts any bytes as a checkpoint file and does what `edgeport info` does
// with one: open the zip archive, run the pickle, materialise the tensors,
// report them. Mutated pickles rarely survive the archive's CRC-32s, so
// pytorch_pickle.cpp reaches the pickle directly.
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "pytorch/checkpoint_info.h"
#include "pytorch/state_dict.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const edgeport::StateDict state_dict = edgeport::load_state_dict_from_bytes({data, size}, "fuzz.pt");
    nlohmann::json info = edgeport::checkpoint_info(state_dict);
    info.update({{"file", "fuzz.pt"}, {"file_bytes", size}, {"sha256", ""}, {"architecture", nullptr}});
    edgeport::format_checkpoint_info(info);
    // As `edgeport info --json` prints it.
    info.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const edgeport::Error&) {
    // The reader refused bad input, as it should.
  }
  return 0;
}
