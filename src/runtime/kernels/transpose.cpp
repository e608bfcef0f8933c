// Transpose (see src/core/ops/transpose.cpp): output axis i is input axis
// perm[i]; any dtype, moved element by element as fixed-size words.
#include "core/ops/transpose.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

void run_transpose(const KernelContext& context) {
  permute_into(context.input(0), context.node.attrs.get_ints("perm"), context.output());
}

const KernelRegistration registration(op::Transpose, run_transpose);

}  // namespace
}  // namespace edgeport
