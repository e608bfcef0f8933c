// Transpose (see src/core/ops/transpose.cpp): output axis i is input axis
// perm[i]; any dtype, moved element by element as fixed-size words.
#include <cstdint>
#include <vector>

#include "core/ops/transpose.h"
#include "runtime/channels_last.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

void run_transpose(const KernelContext& context) {
  permute_into(context.input(0), context.node.attrs.get_ints("perm"), context.output());
}

// The layout changes around channels-last regions (passes/channels_last) of
// 4-byte elements, as tiled matrix transposes per image.
Kernel prepare_transpose(const Graph& graph, const Node& node, const RunOptions&) {
  const Value& input = graph.value(node.inputs.at(0));
  if (input.shape.size() != 4 || dtype_size(input.dtype) != 4) return {};
  const std::vector<std::int64_t> perm = node.attrs.get_ints("perm");
  const Shape& x = input.shape;
  if (perm == std::vector<std::int64_t>{0, 2, 3, 1}) {
    return [batch = x[0], channels = x[1], plane = x[2] * x[3]](const KernelContext& context) {
      copy_nchw_to_nhwc(reinterpret_cast<const std::uint32_t*>(context.input(0).raw()),
                        reinterpret_cast<std::uint32_t*>(context.output().raw()), batch, channels, plane);
    };
  }
  if (perm == std::vector<std::int64_t>{0, 3, 1, 2}) {
    return [batch = x[0], channels = x[3], plane = x[1] * x[2]](const KernelContext& context) {
      copy_nhwc_to_nchw(reinterpret_cast<const std::uint32_t*>(context.input(0).raw()),
                        reinterpret_cast<std::uint32_t*>(context.output().raw()), batch, channels, plane);
    };
  }
  return {};
}

const KernelRegistration registration(op::Transpose, run_transpose, prepare_transpose);

}  // namespace
}  // namespace edgeport
