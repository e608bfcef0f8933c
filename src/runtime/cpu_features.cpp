#include "runtime/cpu_features.h"

namespace edgeport {

std::string float_kernel_vectors() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f")) return "AVX-512";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "AVX2+FMA";
#endif
  return "portable";
}

}  // namespace edgeport
