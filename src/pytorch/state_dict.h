#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"

namespace edgeport {

// Named tensors in the order the checkpoint stores them.
struct StateDict {
  std::vector<std::pair<std::string, Tensor>> entries;

  // nullptr when absent.
  const Tensor* find(const std::string& name) const;
  std::size_t size() const { return entries.size(); }
  std::int64_t parameter_count() const;  // elements over all tensors except num_batches_tracked
};

// Reads a torch.save zip checkpoint (PyTorch >= 1.6) without running anything
// from it, unwraps {"state_dict"|"model_state_dict"|"model"|"net": {...}, ...}
// containers and strips a key prefix shared by every key ("module.",
// "model."). Every failure is an Error whose message starts with the path.
StateDict load_state_dict(const std::filesystem::path& path);

// The same for a checkpoint already in memory; `origin` starts every message.
StateDict load_state_dict_from_bytes(std::span<const std::uint8_t> bytes, const std::string& origin);

}  // namespace edgeport
