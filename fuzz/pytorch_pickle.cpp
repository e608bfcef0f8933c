// Accepts any bytes as the data.pkl of a checkpoint. The harness stores them
// in a zip archive (with correct CRC-32s) beside a zero-filled record of the
// declared size for every storage the pickle names, then loads that archive
// as pytorch_checkpoint.cpp does: the unpickler, the state_dict unwrapping
// and the tensor materialiser see the mutated pickle itself.
#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "pytorch/checkpoint_info.h"
#include "pytorch/state_dict.h"
#include "pytorch/state_dict_unwrap.h"
#include "pytorch/unpickler.h"

namespace {

// Storages beyond this get no record, so the reader reports them missing
// rather than the harness spending its time on zeros.
constexpr std::uint64_t kMaxStorageBytes = 1 << 20;

using Records = std::map<std::string, std::vector<std::uint8_t>>;

// The storage records the pickle asks for, or nothing when it does not unpickle.
bool add_storage_records(std::span<const std::uint8_t> pickle_bytes, Records& records) {
  try {
    edgeport::pickle::ValueArena arena("fuzz.pt");
    const edgeport::pickle::Value* top = edgeport::pickle::unpickle(pickle_bytes, arena, "fuzz.pt");
    for (const auto& [name, ref] : edgeport::find_state_dict(*top, "fuzz.pt")) {
      const edgeport::pickle::StorageRef& storage = *ref->storage->storage;
      const std::uint64_t bytes = static_cast<std::uint64_t>(storage.numel) * edgeport::dtype_size(storage.dtype);
      if (bytes <= kMaxStorageBytes) records.emplace("archive/data/" + storage.key, bytes);
    }
    return true;
  } catch (const edgeport::Error&) {
    return false;
  }
}

std::vector<std::uint8_t> stored_zip(const Records& records) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  for (const auto& [name, bytes] : records) {
    zip_source_t* source = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
    const zip_int64_t index = zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(source);
      continue;
    }
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  zip_close(archive);
  std::vector<std::uint8_t> zipped;
  if (zip_source_open(buffer) == 0) {
    zip_source_seek(buffer, 0, SEEK_END);
    zipped.resize(static_cast<std::size_t>(zip_source_tell(buffer)));
    zip_source_seek(buffer, 0, SEEK_SET);
    zip_source_read(buffer, zipped.data(), zipped.size());
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  return zipped;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A std::map orders the records by name: data.pkl, the first, sorts before data/.
  Records records{{"archive/data.pkl", {data, data + size}}};
  if (!add_storage_records({data, size}, records)) return 0;
  const std::vector<std::uint8_t> zipped = stored_zip(records);
  try {
    const edgeport::StateDict state_dict = edgeport::load_state_dict_from_bytes(zipped, "fuzz.pt");
    nlohmann::json info = edgeport::checkpoint_info(state_dict);
    info.update({{"file", "fuzz.pt"}, {"file_bytes", zipped.size()}, {"sha256", ""}, {"architecture", nullptr}});
    edgeport::format_checkpoint_info(info);
    // As `edgeport info --json` prints it.
    info.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const edgeport::Error&) {
    // The reader refused bad input, as it should.
  }
  return 0;
}
