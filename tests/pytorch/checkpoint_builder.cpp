#include "checkpoint_builder.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <functional>
#include <cstring>
#include <stdexcept>

#include "core/file_io.h"

namespace edgeport::testing {

std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(EDGEPORT_SOURCE_DIR) / "tests" / "fixtures" / "pytorch" / name;
}

Bytes read_fixture(const std::string& name) { return read_file_bytes(fixture(name)); }

Bytes operator+(Bytes left, const Bytes& right) {
  left.insert(left.end(), right.begin(), right.end());
  return left;
}

Bytes raw(const std::string& text) { return Bytes(text.begin(), text.end()); }

Bytes unicode(const std::string& text) {
  Bytes bytes{'X'};
  const auto length = static_cast<std::uint32_t>(text.size());
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(length >> (8 * i)));
  return bytes + raw(text);
}

Bytes global_op(const std::string& module, const std::string& name) { return raw("c" + module + "\n" + name + "\n"); }

Bytes int_op(std::int64_t value) {
  Bytes bytes{0x8a, 8};
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(value) >> (8 * i)));
  return bytes;
}

Bytes int_tuple(const std::vector<std::int64_t>& values) {
  Bytes bytes{'('};
  for (std::int64_t value : values) bytes = bytes + int_op(value);
  return bytes + raw("t");
}

Bytes float_tensor(const std::string& storage_key, std::int64_t storage_numel, std::int64_t offset,
                   const std::vector<std::int64_t>& size, const std::vector<std::int64_t>& stride) {
  const Bytes persistent_id = raw("(") + unicode("storage") + global_op("torch", "FloatStorage") +
                              unicode(storage_key) + unicode("cpu") + int_op(storage_numel) + raw("tQ");
  return global_op("torch._utils", "_rebuild_tensor_v2") + raw("(") + persistent_id + int_op(offset) +
         int_tuple(size) + int_tuple(stride) + Bytes{0x89} + global_op("collections", "OrderedDict") + raw(")Rt") +
         raw("R");
}

Bytes dict_pickle(const std::vector<std::pair<std::string, Bytes>>& entries) {
  Bytes bytes = Bytes{0x80, 2} + raw("}(");
  for (const auto& [key, value] : entries) bytes = bytes + unicode(key) + value;
  return bytes + raw("u.");
}

namespace {

// Reads everything a libzip buffer source holds once its archive is closed.
Bytes source_contents(zip_source_t* source) {
  zip_stat_t stat;
  if (zip_source_open(source) != 0 || zip_source_stat(source, &stat) != 0) {
    throw std::runtime_error("cannot read back an in-memory zip");
  }
  Bytes bytes(stat.size);
  const zip_int64_t read = zip_source_read(source, bytes.data(), bytes.size());
  zip_source_close(source);
  if (read != static_cast<zip_int64_t>(bytes.size())) throw std::runtime_error("short read of an in-memory zip");
  return bytes;
}

}  // namespace

// Archives are built in memory: tests run as parallel processes, and a shared
// temporary file name would let one overwrite another's archive.
Bytes edit_zip(const Bytes& original, const std::function<void(zip_t*)>& edit) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(original.data(), original.size(), 0, &error);
  if (source == nullptr) throw std::runtime_error("cannot create an in-memory zip source");
  zip_source_keep(source);
  zip_t* archive = zip_open_from_source(source, original.empty() ? ZIP_TRUNCATE : 0, &error);
  if (archive == nullptr) {
    zip_source_free(source);
    throw std::runtime_error("cannot open an in-memory zip");
  }
  try {
    edit(archive);
  } catch (...) {
    zip_discard(archive);
    zip_source_free(source);
    throw;
  }
  if (zip_close(archive) != 0) {
    zip_discard(archive);
    zip_source_free(source);
    throw std::runtime_error("cannot finish an in-memory zip");
  }
  Bytes bytes = source_contents(source);
  zip_source_free(source);
  return bytes;
}

Bytes make_zip(const std::vector<std::pair<std::string, Bytes>>& records, bool deflate) {
  return edit_zip({}, [&](zip_t* archive) {
    for (const auto& [name, data] : records) {
      zip_source_t* source = zip_source_buffer(archive, data.data(), data.size(), 0);
      const zip_int64_t index = source ? zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8) : -1;
      if (index < 0 || zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                                                   deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0) != 0) {
        throw std::runtime_error("cannot add " + name + " to an in-memory zip");
      }
    }
  });
}

Bytes make_checkpoint(const Bytes& pickle, const std::vector<std::pair<std::string, int>>& float_storages) {
  std::vector<std::pair<std::string, Bytes>> records{{"archive/data.pkl", pickle}};
  for (const auto& [key, numel] : float_storages) {
    Bytes data(static_cast<std::size_t>(numel) * 4);
    for (int i = 0; i < numel; ++i) {
      const auto value = static_cast<float>(i);
      std::memcpy(data.data() + static_cast<std::size_t>(i) * 4, &value, 4);
    }
    records.emplace_back("archive/data/" + key, data);
  }
  records.emplace_back("archive/version", raw("3\n"));
  return make_zip(records);
}

}  // namespace edgeport::testing
