#pragma once

#include <set>
#include <string>

namespace edgeport {

// Hands out names no one has taken yet: the base itself when free, otherwise
// base_1, base_2, ... . Every writer and reader that invents tensor or node
// names shares this one scheme.
class UniqueNames {
 public:
  // Marks a name as used without asking for it (names read from a file).
  void reserve(const std::string& name) { taken_.insert(name); }
  bool contains(const std::string& name) const { return taken_.count(name) != 0; }
  // A free name derived from `base` ("value" when base is empty), now taken.
  std::string fresh(const std::string& base);

 private:
  std::set<std::string> taken_;
};

}  // namespace edgeport
