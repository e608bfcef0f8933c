#include "runtime/onednn.h"

#include <omp.h>

#include <algorithm>

namespace edgeport {

const dnnl::engine& onednn_engine() {
  static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

void use_onednn_threads(int threads) { omp_set_num_threads(std::max(threads, 1)); }

}  // namespace edgeport
