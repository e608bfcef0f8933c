#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace edgeport {

// The dictionary of a .npy header, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 256, 256), }
struct NpyHeader {
  std::string descr;
  bool fortran_order = false;
  std::vector<std::int64_t> shape;
};

// Parses the header text without recursion or regular expressions, so its
// cost is linear in the text whatever the file holds. Errors start with
// `origin` and name the first thing that is not a .npy header.
NpyHeader parse_npy_header(const std::string& text, const std::string& origin);

}  // namespace edgeport
