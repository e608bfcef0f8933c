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
// record is read once, however many tensors share it.
class TensorMaterialiser {
 public:
  // `budget_bytes` caps the total bytes of all tensors built: stride-0 views
  // and shared storages let a tiny archive describe huge tensors.
  TensorMaterialiser(const TorchArchive& archive, std::uint64_t budget_bytes)
      : archive_(archive), budget_bytes_(budget_bytes) {}

  Tensor materialise(const pickle::TensorRef& ref, const std::string& name);

 private:
  const std::vector<std::uint8_t>& storage_bytes(const pickle::StorageRef& storage, const std::string& name);

  const TorchArchive& archive_;
  std::uint64_t budget_bytes_;
  std::map<std::string, std::vector<std::uint8_t>> storages_;
};

}  // namespace edgeport
