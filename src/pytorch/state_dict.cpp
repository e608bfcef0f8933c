#include "pytorch/state_dict.h"

#include <algorithm>

#include "core/file_io.h"
#include "pytorch/state_dict_unwrap.h"
#include "pytorch/tensor_materialiser.h"
#include "pytorch/torch_archive.h"
#include "pytorch/unpickler.h"

namespace edgeport {

namespace {

// Views may legitimately repeat storage (tied weights, expanded tensors), and
// a re-zipped checkpoint may deflate its storages, so storages and tensors
// may each outweigh the archive, but only by a bounded factor: a file of a
// few KB cannot make the reader inflate gigabytes.
constexpr std::uint64_t kBudgetPerArchiveByte = 4;
constexpr std::uint64_t kBudgetSlackBytes = std::uint64_t{32} << 20;

}  // namespace

const Tensor* StateDict::find(const std::string& name) const {
  const auto found = std::find_if(entries.begin(), entries.end(), [&](const auto& entry) { return entry.first == name; });
  return found == entries.end() ? nullptr : &found->second;
}

std::int64_t StateDict::parameter_count() const {
  std::int64_t count = 0;
  for (const auto& [name, tensor] : entries) {
    if (!name.ends_with("num_batches_tracked")) count += tensor.numel();
  }
  return count;
}

StateDict load_state_dict_from_bytes(std::span<const std::uint8_t> bytes, const std::string& origin) {
  const TorchArchive archive(bytes, origin);
  const std::vector<std::uint8_t> pickle_bytes = archive.read_pickle();
  pickle::ValueArena arena(origin);
  const pickle::Value* top = pickle::unpickle(pickle_bytes, arena, origin);
  const NamedTensorRefs refs = find_state_dict(*top, origin);

  std::vector<const pickle::TensorRef*> tensors;
  for (const auto& [name, ref] : refs) tensors.push_back(ref);
  TensorMaterialiser materialiser(archive, tensors, bytes.size() * kBudgetPerArchiveByte + kBudgetSlackBytes);
  StateDict state_dict;
  state_dict.entries.reserve(refs.size());
  for (const auto& [name, ref] : refs) state_dict.entries.emplace_back(name, materialiser.materialise(*ref, name));
  return state_dict;
}

StateDict load_state_dict(const std::filesystem::path& path) {
  const std::vector<std::uint8_t> bytes = read_file_bytes(path);
  return load_state_dict_from_bytes(bytes, path.string());
}

}  // namespace edgeport
