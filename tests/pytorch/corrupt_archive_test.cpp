#include <gtest/gtest.h>
#include <zip.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "checkpoint_builder.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/npy.h"
#include "pytorch/state_dict.h"
#include "pytorch/zip_archive.h"

namespace edgeport {
namespace {

using testing::operator+;
using testing::Bytes;
using testing::fixture;
using testing::read_fixture;

std::string load_error(std::span<const std::uint8_t> bytes, const std::string& origin = "bad.pt") {
  try {
    load_state_dict_from_bytes(bytes, origin);
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_TRUE(message.starts_with(origin + ": ")) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    return message;
  }
  return "";
}

bool same_tensors(const StateDict& left, const StateDict& right) {
  if (left.size() != right.size()) return false;
  for (std::size_t i = 0; i < left.size(); ++i) {
    const auto& [name, tensor] = left.entries[i];
    const auto& [other_name, other] = right.entries[i];
    if (name != other_name || tensor.dtype() != other.dtype() || tensor.shape() != other.shape() ||
        !std::equal(tensor.raw(), tensor.raw() + tensor.nbytes(), other.raw())) {
      return false;
    }
  }
  return true;
}

Bytes without_record(const std::string& checkpoint, const std::string& record) {
  return testing::edit_zip(read_fixture(checkpoint), [&](zip_t* archive) {
    const zip_int64_t index = zip_name_locate(archive, record.c_str(), 0);
    if (index < 0 || zip_delete(archive, static_cast<zip_uint64_t>(index)) != 0) {
      throw std::runtime_error("cannot delete " + record + " from " + checkpoint);
    }
  });
}

TEST(CorruptArchive, EveryTruncationIsAnError) {
  for (const std::string checkpoint : {"dtype_float32.pt", "views.pt"}) {
    const Bytes bytes = read_fixture(checkpoint);
    for (std::size_t length = 0; length < bytes.size(); ++length) {
      SCOPED_TRACE(checkpoint + " truncated to " + std::to_string(length));
      EXPECT_FALSE(load_error(std::span(bytes).first(length)).empty());
    }
  }
}

// A flipped byte either breaks the file (CRC, inconsistent headers, a
// different record name) or lands where nothing is read (torch.save pads
// records to 64-byte alignment); a successful load must then give exactly
// the original tensors. Flips inside data.pkl must always be caught.
TEST(CorruptArchive, FlippedBytesAreErrorsOrHarmless) {
  const Bytes original = read_fixture("dtype_float32.pt");
  const StateDict reference = load_state_dict_from_bytes(original, "original");
  const Bytes pickle = ZipArchive(original, "original").read("dtype_float32/data.pkl");
  const auto pickle_start = static_cast<std::size_t>(
      std::search(original.begin(), original.end(), pickle.begin(), pickle.end()) - original.begin());
  ASSERT_LT(pickle_start, original.size());
  for (std::size_t offset = 0; offset < original.size(); ++offset) {
    Bytes flipped = original;
    flipped[offset] ^= 0x5A;
    const bool in_pickle = offset >= pickle_start && offset < pickle_start + pickle.size();
    try {
      const StateDict loaded = load_state_dict_from_bytes(flipped, "flipped");
      EXPECT_FALSE(in_pickle) << "flip at " << offset << " inside data.pkl went unnoticed";
      EXPECT_TRUE(same_tensors(loaded, reference)) << "flip at " << offset << " changed the tensors";
    } catch (const Error&) {
    }
  }
}

TEST(CorruptArchive, FlippedTensorDataIsACrcError) {
  Bytes bytes = read_fixture("dtype_float32.pt");
  const Tensor expected = read_npy(fixture("dtype_float32.expected/0.npy"));
  const auto* start = std::search(bytes.data(), bytes.data() + bytes.size(), expected.raw(),
                                  expected.raw() + expected.nbytes());
  ASSERT_NE(start, bytes.data() + bytes.size());
  bytes[static_cast<std::size_t>(start - bytes.data()) + 5] ^= 0x01;
  EXPECT_NE(load_error(bytes).find("CRC"), std::string::npos) << load_error(bytes);
}

TEST(CorruptArchive, MissingStorageRecordIsNamed) {
  const std::string message = load_error(without_record("dtype_int8.pt", "dtype_int8/data/0"));
  EXPECT_NE(message.find("missing record 'dtype_int8/data/0'"), std::string::npos) << message;
}

TEST(CorruptArchive, MissingPickleIsNamed) {
  const std::string message = load_error(without_record("dtype_int8.pt", "dtype_int8/data.pkl"));
  EXPECT_NE(message.find("missing record 'dtype_int8/data.pkl'"), std::string::npos) << message;
}

TEST(CorruptArchive, RandomBytesAndEmptyFilesAreErrors) {
  std::mt19937 generator(1234);
  std::uniform_int_distribution<int> byte(0, 255);
  for (std::size_t size : {1, 3, 4, 22, 100, 4096}) {
    Bytes noise(size);
    for (auto& value : noise) value = static_cast<std::uint8_t>(byte(generator));
    EXPECT_FALSE(load_error(noise).empty()) << size;
    if (size >= 4) {
      std::memcpy(noise.data(), "PK\3\4", 4);
      EXPECT_FALSE(load_error(noise).empty()) << size;
    }
  }
  EXPECT_EQ(load_error(Bytes{}), "bad.pt: empty file, not a PyTorch checkpoint");
  EXPECT_NE(load_error(testing::raw("not a checkpoint at all")).find("not a PyTorch checkpoint"), std::string::npos);
}

Bytes deflated_checkpoint(std::int64_t declared_storage_numel = 4096) {
  const Bytes pickle =
      testing::dict_pickle({{"w", testing::float_tensor("0", declared_storage_numel, 0, {4096}, {1})}});
  return testing::make_zip({{"archive/data.pkl", pickle}, {"archive/data/0", Bytes(4096 * 4, 0)}}, true);
}

void write_le32(Bytes& bytes, std::size_t offset, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[offset + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value >> (8 * i));
}

TEST(CorruptArchive, DeflatedRecordsLoad) {
  const Bytes bytes = deflated_checkpoint();
  ASSERT_LT(bytes.size(), std::size_t{4096});
  const StateDict state_dict = load_state_dict_from_bytes(bytes, "deflated.pt");
  EXPECT_EQ(state_dict.find("w")->shape(), Shape{4096});
}

// A deflated record cannot expand more than ~1032:1, so a larger declared
// size is a lie (a zip bomb or corruption) and must not size an allocation.
TEST(CorruptArchive, ImpossibleDeclaredSizesAreRefused) {
  constexpr std::uint32_t kClaimedBytes = 0xFFFFFFF0u;
  Bytes bytes = deflated_checkpoint(kClaimedBytes / 4);
  // In both headers of archive/data/0: the uncompressed size sits 22 bytes
  // into a local header (name at 30), 24 into a central one (name at 46).
  const std::string record = "archive/data/0";
  struct Header {
    Bytes signature;
    std::ptrdiff_t size_at;
    std::ptrdiff_t name_at;
  };
  for (const Header& header : {Header{{'P', 'K', 3, 4}, 22, 30}, Header{{'P', 'K', 1, 2}, 24, 46}}) {
    std::size_t patched = 0;
    for (auto at = bytes.begin();
         (at = std::search(at, bytes.end(), header.signature.begin(), header.signature.end())) != bytes.end(); ++at) {
      if (!std::equal(record.begin(), record.end(), at + header.name_at)) continue;
      write_le32(bytes, static_cast<std::size_t>(at - bytes.begin() + header.size_at), kClaimedBytes);
      ++patched;
    }
    ASSERT_EQ(patched, 1u);
  }
  // The storage budget refuses the checkpoint before the zip layer is asked;
  // asked directly, the zip layer refuses the size itself.
  const std::string message = load_error(bytes);
  EXPECT_NE(message.find("takes the storages past"), std::string::npos) << message;
  const ZipArchive zip(bytes, "bad.pt");
  try {
    zip.read(record);
    ADD_FAILURE() << "read a record declaring " << kClaimedBytes << " bytes";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("impossible size"), std::string::npos) << error.what();
  }
}

TEST(CorruptArchive, MissingFileIsAnError) {
  EXPECT_THROW(load_state_dict(fixture("no_such_checkpoint.pt")), Error);
}

TEST(RefusedFormats, LegacyFormatSaysToResave) {
  for (const std::string checkpoint : {"legacy.pt", "legacy_protocol_4.pt"}) {
    const std::filesystem::path path = fixture(checkpoint);
    try {
      load_state_dict(path);
      ADD_FAILURE() << "loaded " << path;
    } catch (const Error& error) {
      EXPECT_EQ(std::string(error.what()),
                path.string() + ": legacy torch.save format (PyTorch < 1.6); re-save with a newer PyTorch");
    }
  }
}

TEST(RefusedFormats, BarePickleIsNotMistakenForLegacyFormat) {
  const std::string message = load_error(Bytes{0x80, 2, '}', '.'});
  EXPECT_NE(message.find("bare pickle"), std::string::npos) << message;
}

TEST(RefusedFormats, TorchScriptIsNamed) {
  const std::string message = load_error(read_fixture("torchscript.pt"), "script.pt");
  EXPECT_NE(message.find("TorchScript"), std::string::npos) << message;
}

TEST(RefusedFormats, CheckpointWithoutTensors) {
  const std::string message = load_error(read_fixture("no_tensors.pt"));
  EXPECT_NE(message.find("holds no tensors"), std::string::npos) << message;
  EXPECT_NE(message.find("'epoch'"), std::string::npos) << message;
}

TEST(RefusedFormats, TopLevelListIsNotAStateDict) {
  const std::string message = load_error(read_fixture("top_level_list.pt"));
  EXPECT_NE(message.find("top-level object is a list"), std::string::npos) << message;
}

TEST(RefusedFormats, BigEndianArchiveIsRefused) {
  const Bytes pickle = testing::dict_pickle({{"w", testing::float_tensor("0", 4, 0, {4}, {1})}});
  const Bytes little = testing::make_zip({{"archive/data.pkl", pickle},
                                          {"archive/byteorder", testing::raw("little")},
                                          {"archive/data/0", Bytes(16, 0)}});
  EXPECT_EQ(load_state_dict_from_bytes(little, "little.pt").size(), 1u);
  const Bytes big = testing::make_zip({{"archive/data.pkl", pickle},
                                       {"archive/byteorder", testing::raw("big")},
                                       {"archive/data/0", Bytes(16, 0)}});
  EXPECT_NE(load_error(big).find("big-endian"), std::string::npos);
}

TEST(RefusedFormats, ZipWithoutTorchLayout) {
  EXPECT_NE(load_error(testing::make_zip({{"readme.txt", testing::raw("hello")}})).find("not inside a folder"),
            std::string::npos);
  EXPECT_NE(load_error(testing::make_zip({{"folder/readme.txt", testing::raw("hello")}})).find("data.pkl"),
            std::string::npos);
}

}  // namespace
}  // namespace edgeport
