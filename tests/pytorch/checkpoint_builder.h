#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

struct zip;

// Helpers that write pickles and torch.save-shaped zip archives byte by byte,
// for cases real PyTorch never writes (hostile offsets, strides, opcodes).
namespace edgeport::testing {

using Bytes = std::vector<std::uint8_t>;

std::filesystem::path fixture(const std::string& name);
Bytes read_fixture(const std::string& name);

Bytes operator+(Bytes left, const Bytes& right);
Bytes raw(const std::string& text);
Bytes unicode(const std::string& text);   // BINUNICODE
Bytes global_op(const std::string& module, const std::string& name);
Bytes int_op(std::int64_t value);         // LONG1 with 8 bytes: any int64
Bytes int_tuple(const std::vector<std::int64_t>& values);

// `_rebuild_tensor_v2(storage(key, FloatStorage, numel), offset, size, stride, False, OrderedDict())`
Bytes float_tensor(const std::string& storage_key, std::int64_t storage_numel, std::int64_t offset,
                   const std::vector<std::int64_t>& size, const std::vector<std::int64_t>& stride);
// PROTO 2, {key: value...} from already-encoded pairs, STOP.
Bytes dict_pickle(const std::vector<std::pair<std::string, Bytes>>& entries);

// `original` (empty: a new archive) after `edit` has changed it through libzip.
Bytes edit_zip(const Bytes& original, const std::function<void(zip*)>& edit);
// A zip with the given records, as libzip writes it: stored, or deflated.
Bytes make_zip(const std::vector<std::pair<std::string, Bytes>>& records, bool deflate = false);
// archive/data.pkl = pickle, archive/data/<key> = float32 0, 1, 2, ... for each storage.
Bytes make_checkpoint(const Bytes& pickle, const std::vector<std::pair<std::string, int>>& float_storages);

}  // namespace edgeport::testing
