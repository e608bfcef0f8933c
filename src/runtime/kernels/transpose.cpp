// Transpose (see src/core/ops/transpose.cpp): output axis i is input axis
// perm[i]; any dtype, moved element by element as fixed-size words.
#include <cstring>

#include "core/op_registry.h"
#include "runtime/kernel.h"
#include "runtime/strides.h"

namespace edgeport {
namespace {

template <typename Word>
void permute(const Tensor& input, Tensor& output, const std::vector<std::int64_t>& perm) {
  if (output.numel() == 0) return;
  const Shape input_strides = contiguous_strides(input.shape());
  Shape read_strides;
  for (std::int64_t axis : perm) read_strides.push_back(input_strides[static_cast<std::size_t>(axis)]);
  const auto* source = reinterpret_cast<const Word*>(input.raw());
  auto* target = reinterpret_cast<Word*>(output.raw());
  Shape index(output.shape().size(), 0);
  std::vector<std::int64_t> offsets{0};
  do {
    *target++ = source[offsets[0]];
  } while (advance_index(output.shape(), index, {read_strides}, offsets));
}

void run_transpose(const KernelContext& context) {
  const Tensor& input = context.input(0);
  Tensor& output = context.output();
  const std::vector<std::int64_t> perm = context.node.attrs.get_ints("perm");
  switch (dtype_size(input.dtype())) {
    case 1: permute<std::uint8_t>(input, output, perm); break;
    case 2: permute<std::uint16_t>(input, output, perm); break;
    case 4: permute<std::uint32_t>(input, output, perm); break;
    case 8: permute<std::uint64_t>(input, output, perm); break;
    default: fail_node(context.node, "cannot transpose " + std::string(dtype_name(input.dtype())));
  }
}

const KernelRegistration registration("Transpose", run_transpose);

}  // namespace
}  // namespace edgeport
