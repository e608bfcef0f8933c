#include "tflite/layout.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "core/error.h"

namespace edgeport::tflite_layout {

Perm identity(std::size_t rank) {
  Perm perm(rank);
  std::iota(perm.begin(), perm.end(), 0);
  return perm;
}

Perm nhwc() { return {0, 2, 3, 1}; }

bool is_identity(const Perm& perm) {
  for (std::size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] != static_cast<int>(i)) return false;
  }
  return true;
}

Perm inverse(const Perm& perm) {
  Perm result(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) result[static_cast<std::size_t>(perm[i])] = static_cast<int>(i);
  return result;
}

Perm compose(const Perm& first, const Perm& second) {
  Perm result(second.size());
  for (std::size_t i = 0; i < second.size(); ++i) result[i] = first[static_cast<std::size_t>(second[i])];
  return result;
}

void check_permutation(const Perm& perm, std::size_t rank, const std::string& what) {
  std::vector<bool> seen(rank, false);
  bool valid = perm.size() == rank;
  for (int axis : perm) {
    if (!valid) break;
    if (axis < 0 || static_cast<std::size_t>(axis) >= rank || seen[static_cast<std::size_t>(axis)]) {
      valid = false;
    } else {
      seen[static_cast<std::size_t>(axis)] = true;
    }
  }
  if (!valid) throw Error(what + " is not a permutation of " + std::to_string(rank) + " axes");
}

Shape permute_shape(const Shape& shape, const Perm& perm) {
  Shape result(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) result[i] = shape.at(static_cast<std::size_t>(perm[i]));
  return result;
}

int position_of(const Perm& perm, int axis) {
  for (std::size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] == axis) return static_cast<int>(i);
  }
  throw Error("axis " + std::to_string(axis) + " is not in the permutation");
}

Tensor permute_tensor(const Tensor& tensor, const Perm& perm) {
  return tensor.permuted(std::vector<std::int64_t>(perm.begin(), perm.end()));
}

bool keeps_element_order(const Shape& shape, const Perm& perm) {
  int last = -1;
  for (int axis : perm) {
    if (shape.at(static_cast<std::size_t>(axis)) == 1) continue;
    if (axis < last) return false;
    last = axis;
  }
  return true;
}

Perm surviving_perm(const Perm& perm, const std::vector<int>& reduced) {
  auto is_reduced = [&](int axis) { return std::find(reduced.begin(), reduced.end(), axis) != reduced.end(); };
  Perm result;
  for (int axis : perm) {
    if (is_reduced(axis)) continue;
    int renumbered = 0;
    for (int other = 0; other < axis; ++other) renumbered += is_reduced(other) ? 0 : 1;
    result.push_back(renumbered);
  }
  return result;
}

}  // namespace edgeport::tflite_layout
