#include "pytorch/torch_archive.h"

#include <algorithm>
#include <array>

#include "core/error.h"

namespace edgeport {

namespace {

// A state_dict pickle is a few hundred bytes per tensor and torch.save stores
// it uncompressed, so it is smaller than its archive. A deflated one may be
// larger, by a bounded factor; the limit keeps a small hostile archive from
// inflating a pickle whose objects, memo and stack would exhaust memory.
constexpr std::uint64_t kMaxPickleBytes = std::uint64_t{64} << 20;
constexpr std::uint64_t kPickleBytesPerArchiveByte = 16;
constexpr std::uint64_t kPickleSlackBytes = std::uint64_t{256} << 10;

// Checks the leading bytes before libzip sees them, so a file that is not a
// zip archive gets a message saying what it is.
std::span<const std::uint8_t> checked_signature(std::span<const std::uint8_t> bytes, const std::string& origin) {
  if (bytes.empty()) throw Error(origin + ": empty file, not a PyTorch checkpoint");
  // torch.save before 1.6 wrote a bare pickle stream opening with its magic
  // number as a LONG1, right after PROTO (and FRAME, from protocol 4 on).
  if (bytes[0] == 0x80) {
    constexpr std::array<std::uint8_t, 12> kLegacyMagic{0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46,
                                                        0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
    const auto head = bytes.first(std::min<std::size_t>(bytes.size(), 32));
    if (std::search(head.begin(), head.end(), kLegacyMagic.begin(), kLegacyMagic.end()) != head.end()) {
      throw Error(origin + ": legacy torch.save format (PyTorch < 1.6); re-save with a newer PyTorch");
    }
    throw Error(origin + ": a bare pickle, not a torch.save checkpoint (PyTorch >= 1.6 writes a zip archive)");
  }
  const bool zip_signature = bytes.size() >= 4 && bytes[0] == 'P' && bytes[1] == 'K' &&
                             ((bytes[2] == 3 && bytes[3] == 4) || (bytes[2] == 5 && bytes[3] == 6));
  if (!zip_signature) throw Error(origin + ": not a PyTorch checkpoint (no zip archive signature)");
  return bytes;
}

std::string root_folder(const ZipArchive& zip, const std::string& origin) {
  if (zip.names().empty()) throw Error(origin + ": empty zip archive, not a PyTorch checkpoint");
  const std::string& first = zip.names().front();
  const auto slash = first.find('/');
  if (slash == std::string::npos || slash == 0) {
    throw Error(origin + ": zip entry '" + first + "' is not inside a folder; not a torch.save checkpoint");
  }
  return first.substr(0, slash);
}

void reject_torchscript(const ZipArchive& zip, const std::string& root, const std::string& origin) {
  const std::string code_folder = root + "/code/";
  bool torchscript = zip.contains(root + "/constants.pkl");
  for (const std::string& name : zip.names()) torchscript = torchscript || name.starts_with(code_folder);
  if (torchscript) {
    throw Error(origin + ": TorchScript archive (torch.jit.save), not a state_dict; save model.state_dict() with "
                "torch.save instead");
  }
}

void check_byteorder(const ZipArchive& zip, const std::string& root, const std::string& origin) {
  const std::string record = root + "/byteorder";
  // PyTorch before 2.1 wrote no byteorder record and only little-endian data in practice.
  if (!zip.contains(record)) return;
  if (zip.declared_size(record) > 16) throw Error(origin + ": record '" + record + "' is not a byte order");
  const std::vector<std::uint8_t> bytes = zip.read(record);
  const std::string order(bytes.begin(), bytes.end());
  if (order == "little") return;
  if (order == "big") throw Error(origin + ": big-endian checkpoint (byteorder 'big') is not supported");
  throw Error(origin + ": record '" + record + "' names an unknown byte order");
}

}  // namespace

TorchArchive::TorchArchive(std::span<const std::uint8_t> bytes, std::string origin)
    : origin_(std::move(origin)), zip_(checked_signature(bytes, origin_), origin_), root_(root_folder(zip_, origin_)) {
  reject_torchscript(zip_, root_, origin_);
  if (!zip_.contains(root_ + "/data.pkl")) {
    throw Error(origin_ + ": missing record '" + root_ + "/data.pkl'; not a torch.save checkpoint");
  }
  check_byteorder(zip_, root_, origin_);
}

std::vector<std::uint8_t> TorchArchive::read_pickle() const {
  const std::string record = root_ + "/data.pkl";
  const std::uint64_t limit =
      std::min(kMaxPickleBytes, zip_.archive_bytes() * kPickleBytesPerArchiveByte + kPickleSlackBytes);
  if (zip_.declared_size(record) > limit) {
    throw Error(origin_ + ": record '" + record + "' declares " + std::to_string(zip_.declared_size(record)) +
                " bytes, more than a state_dict pickle in a " + std::to_string(zip_.archive_bytes()) +
                "-byte archive can be");
  }
  return zip_.read(record);
}

std::vector<std::uint8_t> TorchArchive::read_storage(const std::string& key, std::uint64_t expected_bytes,
                                                     const std::string& tensor_name) const {
  const std::string record = storage_record_name(key);
  if (!zip_.contains(record)) {
    throw Error(origin_ + ": missing record '" + record + "' (storage of tensor '" + tensor_name + "')");
  }
  const std::uint64_t declared = zip_.declared_size(record);
  if (declared != expected_bytes) {
    throw Error(origin_ + ": storage record '" + record + "' of tensor '" + tensor_name + "' holds " +
                std::to_string(declared) + " bytes, expected " + std::to_string(expected_bytes));
  }
  return zip_.read(record);
}

}  // namespace edgeport
