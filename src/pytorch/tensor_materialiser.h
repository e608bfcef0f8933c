#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "pytorch/pickle_value.h"
#include "pytorch/torch_archive.h"

namespace edgeport {

// Turns the tensor references an unpickled checkpoint holds into contiguous
// Tensors. Storage offsets and strides (views, transposes, slices, several
// tensors over one storage) are honoured; every index is bounds-checked
// against the storage record with overflow-safe arithmetic. Each storage
// record is read once, however many tensors share it, and dropped after its
// last tensor so peak memory stays near one copy of the weights.
class TensorMaterialiser {
 public:
  // `tensors` are all the references that will be materialised. `budget_bytes`
  // caps the total bytes built: stride-0 views and shared storages let a tiny
  // archive describe huge tensors.
  TensorMaterialiser(const TorchArchive& archive, const std::vector<const pickle::TensorRef*>& tensors,
                     std::uint64_t budget_bytes);

  Tensor materialise(const pickle::TensorRef& ref, const std::string& name);

 private:
  struct CachedStorage {
    std::vector<std::uint8_t> bytes;
    bool loaded = false;
    int pending_uses = 0;
  };

  const std::vector<std::uint8_t>& storage_bytes(const pickle::StorageRef& storage, const std::string& name);
  void release(const pickle::StorageRef& storage);

  const TorchArchive& archive_;
  std::uint64_t budget_bytes_;
  std::map<std::string, CachedStorage> storages_;
};

}  // namespace edgeport
