#include "pytorch/tensor_materialiser.h"

#include <cstring>

#include "core/error.h"

namespace edgeport {

namespace {

bool multiply(std::int64_t a, std::int64_t b, std::int64_t& result) { return !__builtin_mul_overflow(a, b, &result); }
bool add(std::int64_t a, std::int64_t b, std::int64_t& result) { return !__builtin_add_overflow(a, b, &result); }

// Copies the strided view into `target` in row-major order, one innermost run at a time.
void gather(const std::uint8_t* storage, std::uint8_t* target, std::size_t element_size, std::int64_t offset,
            const std::vector<std::int64_t>& size, const std::vector<std::int64_t>& stride) {
  const std::size_t rank = size.size();
  if (rank == 0) {
    std::memcpy(target, storage + offset * static_cast<std::int64_t>(element_size), element_size);
    return;
  }
  const std::int64_t inner_size = size[rank - 1];
  const std::int64_t inner_stride = stride[rank - 1];
  const auto run_bytes = static_cast<std::size_t>(inner_size) * element_size;
  std::vector<std::int64_t> index(rank - 1, 0);
  std::int64_t outer_offset = offset;
  while (true) {
    const std::uint8_t* source = storage + outer_offset * static_cast<std::int64_t>(element_size);
    if (inner_stride == 1) {
      std::memcpy(target, source, run_bytes);
    } else {
      for (std::int64_t i = 0; i < inner_size; ++i) {
        std::memcpy(target + static_cast<std::size_t>(i) * element_size,
                    source + i * inner_stride * static_cast<std::int64_t>(element_size), element_size);
      }
    }
    target += run_bytes;
    std::size_t axis = rank - 1;
    while (axis > 0) {
      --axis;
      outer_offset += stride[axis];
      if (++index[axis] < size[axis]) break;
      outer_offset -= stride[axis] * size[axis];
      index[axis] = 0;
      if (axis == 0) return;
    }
    if (rank == 1) return;
  }
}

}  // namespace

TensorMaterialiser::TensorMaterialiser(const TorchArchive& archive,
                                       const std::vector<const pickle::TensorRef*>& tensors,
                                       std::uint64_t budget_bytes)
    : archive_(archive), budget_bytes_(budget_bytes) {
  std::uint64_t storage_total = 0;
  for (const pickle::TensorRef* tensor : tensors) {
    const pickle::StorageRef& storage = *tensor->storage->storage;
    CachedStorage& cached = storages_[storage.key];
    if (cached.pending_uses++ > 0) continue;
    std::int64_t bytes = 0;
    if (!multiply(storage.numel, static_cast<std::int64_t>(dtype_size(storage.dtype)), bytes) ||
        static_cast<std::uint64_t>(bytes) > budget_bytes_ - storage_total) {
      throw Error(archive_.origin() + ": storage '" + storage.key.substr(0, 40) + "' takes the storages past " +
                  std::to_string(budget_bytes_ >> 20) + " MiB, more than a checkpoint of this size can justify");
    }
    storage_total += static_cast<std::uint64_t>(bytes);
  }
}

const std::vector<std::uint8_t>& TensorMaterialiser::storage_bytes(const pickle::StorageRef& storage,
                                                                   const std::string& name) {
  std::int64_t expected = 0;
  if (!multiply(storage.numel, static_cast<std::int64_t>(dtype_size(storage.dtype)), expected)) {
    throw Error(archive_.origin() + ": storage '" + storage.key + "' of tensor '" + name + "' is impossibly large");
  }
  CachedStorage& cached = storages_[storage.key];
  if (!cached.loaded) {
    cached.bytes = archive_.read_storage(storage.key, static_cast<std::uint64_t>(expected), name);
    cached.loaded = true;
  } else if (cached.bytes.size() != static_cast<std::uint64_t>(expected)) {
    throw Error(archive_.origin() + ": storage '" + storage.key + "' of tensor '" + name +
                "' is described with two different sizes");
  }
  return cached.bytes;
}

void TensorMaterialiser::release(const pickle::StorageRef& storage) {
  const auto cached = storages_.find(storage.key);
  if (cached != storages_.end() && --cached->second.pending_uses <= 0) storages_.erase(cached);
}

Tensor TensorMaterialiser::materialise(const pickle::TensorRef& ref, const std::string& name) {
  const pickle::StorageRef& storage = *ref.storage->storage;
  const std::string where = archive_.origin() + ": tensor '" + name + "'";
  if (ref.storage_offset < 0) throw Error(where + " has a negative storage offset");

  std::int64_t numel = 1;
  std::int64_t last_index = ref.storage_offset;
  for (std::size_t axis = 0; axis < ref.size.size(); ++axis) {
    const std::int64_t extent = ref.size[axis];
    const std::int64_t stride = ref.stride[axis];
    if (extent < 0 || stride < 0) throw Error(where + " has a negative size or stride");
    std::int64_t reach = 0;
    if (!multiply(numel, extent, numel) || (extent > 0 && (!multiply(extent - 1, stride, reach) ||
                                                           !add(last_index, reach, last_index)))) {
      throw Error(where + " has sizes and strides that overflow");
    }
  }
  const std::size_t element_size = dtype_size(storage.dtype);
  Shape shape(ref.size.begin(), ref.size.end());
  if (numel == 0) {
    release(storage);
    return Tensor(storage.dtype, shape);
  }

  if (last_index >= storage.numel) {
    throw Error(where + " reaches element " + std::to_string(last_index) + " of storage '" + storage.key +
                "', which holds " + std::to_string(storage.numel));
  }
  std::int64_t tensor_bytes = 0;
  if (!multiply(numel, static_cast<std::int64_t>(element_size), tensor_bytes) ||
      static_cast<std::uint64_t>(tensor_bytes) > budget_bytes_) {
    throw Error(where + " would need " + std::to_string(numel) + " elements, more than the checkpoint can justify");
  }
  const std::vector<std::uint8_t>& bytes = storage_bytes(storage, name);
  budget_bytes_ -= static_cast<std::uint64_t>(tensor_bytes);
  std::vector<std::uint8_t> contiguous(static_cast<std::size_t>(tensor_bytes));
  // A size-1 dimension never steps, whatever its stride; zeroing it keeps a
  // hostile stride there from overflowing the offset arithmetic in gather.
  std::vector<std::int64_t> stride = ref.stride;
  for (std::size_t axis = 0; axis < stride.size(); ++axis) {
    if (ref.size[axis] == 1) stride[axis] = 0;
  }
  gather(bytes.data(), contiguous.data(), element_size, ref.storage_offset, ref.size, stride);
  release(storage);
  return Tensor(storage.dtype, std::move(shape), std::move(contiguous));
}

}  // namespace edgeport
