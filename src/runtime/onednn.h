#pragma once

#include <oneapi/dnnl/dnnl.hpp>

namespace edgeport {

// The one CPU engine every oneDNN primitive of the process is created on.
const dnnl::engine& onednn_engine();

// Debian's oneDNN runs on OpenMP: its primitives and sgemm use as many
// threads as the calling thread's OpenMP setting, so each prepared kernel sets
// it from RunOptions::threads before it creates or runs library work.
void use_onednn_threads(int threads);

}  // namespace edgeport
