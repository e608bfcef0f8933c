#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <utility>

namespace edgeport {

// The entries of one self-registration table of src/tflite/ops/. Two files
// claiming the same key is a mistake in the build, so it stops the program
// at start-up instead of letting one silently win.
template <typename Key, typename Entry>
class RegistryTable {
 public:
  void add(const Key& key, Entry entry, const std::string& what) {
    if (!entries_.emplace(key, std::move(entry)).second) throw std::logic_error(what + " is registered twice");
  }
  // nullptr when the key is not registered.
  const Entry* find(const Key& key) const {
    auto found = entries_.find(key);
    return found == entries_.end() ? nullptr : &found->second;
  }
  bool contains(const Key& key) const { return entries_.count(key) != 0; }
  const std::map<Key, Entry>& entries() const { return entries_; }

 private:
  std::map<Key, Entry> entries_;
};

}  // namespace edgeport
