#include "core/unique_names.h"

namespace edgeport {

std::string UniqueNames::fresh(const std::string& base) {
  const std::string stem = base.empty() ? "value" : base;
  std::string candidate = stem;
  for (int suffix = 1; contains(candidate); ++suffix) candidate = stem + "_" + std::to_string(suffix);
  taken_.insert(candidate);
  return candidate;
}

}  // namespace edgeport
