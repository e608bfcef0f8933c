// Concat (see src/core/ops/concat.cpp): for every index before the axis, the
// inputs' blocks are laid end to end; any dtype.
#include <cstring>

#include "core/ops/concat.h"
#include "core/op_registry.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

void run_concat(const KernelContext& context) {
  Tensor& output = context.output();
  const auto rank = static_cast<std::int64_t>(output.rank());
  std::int64_t axis = context.node.attrs.get_int("axis");
  if (axis < 0) axis += rank;
  std::int64_t outer = 1;
  for (std::int64_t i = 0; i < axis; ++i) outer *= output.dim(static_cast<int>(i));
  const std::size_t output_block = output.nbytes() / static_cast<std::size_t>(outer == 0 ? 1 : outer);
  std::size_t written = 0;
  for (std::size_t k = 0; k < context.inputs.size(); ++k) {
    const Tensor& input = context.input(k);
    if (input.dtype() != output.dtype()) {
      fail_node(context.node, "input " + std::to_string(k) + " is " + std::string(dtype_name(input.dtype())) +
                                  ", expected " + std::string(dtype_name(output.dtype())));
    }
    const std::size_t block = input.nbytes() / static_cast<std::size_t>(outer == 0 ? 1 : outer);
    for (std::int64_t o = 0; o < outer; ++o) {
      std::memcpy(output.raw() + static_cast<std::size_t>(o) * output_block + written,
                  input.raw() + static_cast<std::size_t>(o) * block, block);
    }
    written += block;
  }
}

const KernelRegistration registration(op::Concat, run_concat);

}  // namespace
}  // namespace edgeport
