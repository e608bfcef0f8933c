// GlobalAveragePool (see src/core/ops/mean.cpp): the mean of each H x W
// plane, summed in double.
#include "core/ops/mean.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

void run_global_average_pool(const KernelContext& context) {
  const Tensor& input = context.input(0);
  const std::int64_t planes = input.dim(0) * input.dim(1);
  const std::int64_t plane_size = input.dim(2) * input.dim(3);
  const float* x = input.data<float>();
  float* y = context.output().data<float>();
  for (std::int64_t plane = 0; plane < planes; ++plane) {
    double sum = 0.0;
    for (std::int64_t i = 0; i < plane_size; ++i) sum += x[plane * plane_size + i];
    y[plane] = static_cast<float>(sum / static_cast<double>(plane_size));
  }
}

const KernelRegistration registration(op::GlobalAveragePool, run_global_average_pool);

}  // namespace
}  // namespace edgeport
