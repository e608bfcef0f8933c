#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "pytorch/zip_archive.h"

namespace edgeport {

// The records of a torch.save zip checkpoint (PyTorch >= 1.6):
// <root>/data.pkl, <root>/data/<key>, optional <root>/byteorder, any root
// folder name. Opening checks the file really is one: it names the legacy
// pickle format, TorchScript archives, big-endian archives and other files
// with a one-line Error starting with `origin`.
class TorchArchive {
 public:
  // `bytes` must outlive the archive.
  TorchArchive(std::span<const std::uint8_t> bytes, std::string origin);

  const std::string& origin() const { return origin_; }
  std::vector<std::uint8_t> read_pickle() const;
  std::string storage_record_name(const std::string& key) const { return root_ + "/data/" + key; }
  // The storage record `key`, which must hold exactly `expected_bytes`;
  // `tensor_name` is the tensor that needs it, for messages.
  std::vector<std::uint8_t> read_storage(const std::string& key, std::uint64_t expected_bytes,
                                         const std::string& tensor_name) const;

 private:
  std::string origin_;
  ZipArchive zip_;
  std::string root_;
};

}  // namespace edgeport
