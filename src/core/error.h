#pragma once

#include <stdexcept>
#include <string>

namespace edgeport {

// One exception type for every user-facing failure. The message is a single
// line that already names the file, tensor or node involved, so the CLI can
// print it verbatim and exit non-zero.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace edgeport
