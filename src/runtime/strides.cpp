#include "runtime/strides.h"

namespace edgeport {

Shape contiguous_strides(const Shape& shape) {
  Shape strides(shape.size(), 1);
  for (std::size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

bool advance_index(const Shape& shape, Shape& index, const std::vector<Shape>& strides,
                   std::vector<std::int64_t>& offsets) {
  for (std::size_t axis = shape.size(); axis-- > 0;) {
    if (++index[axis] < shape[axis]) {
      for (std::size_t k = 0; k < offsets.size(); ++k) offsets[k] += strides[k][axis];
      return true;
    }
    index[axis] = 0;
    for (std::size_t k = 0; k < offsets.size(); ++k) offsets[k] -= strides[k][axis] * (shape[axis] - 1);
  }
  return false;
}

}  // namespace edgeport
