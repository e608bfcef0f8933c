#pragma once

#include <string>

namespace edgeport {

// The widest vector instructions the runtime's float kernels pick on this
// CPU at run time: "AVX-512", "AVX2+FMA" or "portable". Speed figures mean
// little without it (the same EPYC model name covers both x86 kinds).
std::string float_kernel_vectors();

}  // namespace edgeport
