// Reshape and Flatten (see src/core/ops/reshape.cpp): the same row-major
// bytes under the output's shape, any dtype.
#include <cstring>

#include "core/ops/reshape.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

void copy_bytes(const KernelContext& context) {
  const Tensor& input = context.input(0);
  std::memcpy(context.output().raw(), input.raw(), input.nbytes());
}

const KernelRegistration reshape(op::Reshape, copy_bytes);
const KernelRegistration flatten(op::Flatten, copy_bytes);

}  // namespace
}  // namespace edgeport
