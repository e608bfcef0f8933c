#include "pytorch/state_dict_unwrap.h"

#include <algorithm>
#include <array>

#include "core/error.h"

namespace edgeport {

namespace {

constexpr std::array<const char*, 4> kWrapperKeys{"state_dict", "model_state_dict", "model", "net"};
constexpr std::array<std::string_view, 2> kSharedPrefixes{"module.", "model."};
// Wrappers nest a level or two in practice; the bound keeps a hostile
// self-referencing dict from looping forever.
constexpr int kMaxWrapperDepth = 16;

bool holds_tensors(const pickle::Value& dict) {
  return std::any_of(dict.entries().begin(), dict.entries().end(),
                     [](const auto& entry) { return entry.second->kind == pickle::Kind::Tensor; });
}

std::string describe_keys(const pickle::Value& dict) {
  constexpr std::size_t kShown = 8;
  std::string text;
  std::size_t shown = 0;
  for (const auto& [key, value] : dict.entries()) {
    if (shown == kShown) return text + ", ...";
    if (shown++) text += ", ";
    text += key->kind == pickle::Kind::String ? "'" + key->text + "'" : std::string(pickle::kind_name(key->kind));
  }
  return text.empty() ? "none" : text;
}

}  // namespace

void strip_shared_prefixes(std::vector<std::string>& names) {
  if (names.empty()) return;
  bool stripped = true;
  while (stripped) {
    stripped = false;
    for (std::string_view prefix : kSharedPrefixes) {
      const bool shared = std::all_of(names.begin(), names.end(), [&](const std::string& name) {
        return name.size() > prefix.size() && name.starts_with(prefix);
      });
      if (!shared) continue;
      for (std::string& name : names) name.erase(0, prefix.size());
      stripped = true;
    }
  }
}

NamedTensorRefs find_state_dict(const pickle::Value& top, const std::string& origin) {
  const pickle::Value* current = &top;
  std::string path = "top-level object";
  for (int depth = 0; depth <= kMaxWrapperDepth; ++depth) {
    if (current->kind != pickle::Kind::Dict) {
      throw Error(origin + ": " + path + " is a " + std::string(pickle::kind_name(current->kind)) +
                  ", not a dict of tensors");
    }
    if (holds_tensors(*current)) break;
    const pickle::Value* inner = nullptr;
    for (const char* key : kWrapperKeys) {
      const pickle::Value* candidate = current->find(key);
      // {"model": "resnet18", "state_dict": {...}} names the model, it does not hold it.
      if (candidate != nullptr && candidate->kind == pickle::Kind::Dict) {
        inner = candidate;
        path = "entry '" + std::string(key) + "'";
        break;
      }
    }
    if (inner == nullptr) {
      throw Error(origin + ": checkpoint holds no tensors (" + path + " keys: " + describe_keys(*current) + ")");
    }
    current = inner;
  }
  if (current->kind != pickle::Kind::Dict || !holds_tensors(*current)) {
    throw Error(origin + ": checkpoint wrappers nest deeper than " + std::to_string(kMaxWrapperDepth) + " levels");
  }

  std::vector<std::string> names;
  std::vector<const pickle::TensorRef*> tensors;
  for (const auto& [key, value] : current->entries()) {
    if (value->kind != pickle::Kind::Tensor) continue;
    if (key->kind != pickle::Kind::String) {
      throw Error(origin + ": " + path + " has a tensor under a " + std::string(pickle::kind_name(key->kind)) +
                  " key, not a name");
    }
    names.push_back(key->text);
    tensors.push_back(value->tensor.get());
  }
  strip_shared_prefixes(names);
  NamedTensorRefs result;
  result.reserve(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) result.emplace_back(std::move(names[i]), tensors[i]);
  return result;
}

}  // namespace edgeport
