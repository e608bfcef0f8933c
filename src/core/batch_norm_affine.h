#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/graph.h"

namespace edgeport {

// Inference BatchNorm as one affine map per channel: y = x * scale + shift,
// scale = gamma / sqrt(variance + epsilon), shift = beta - mean * scale.
// Real is the precision of that arithmetic: float where a kernel must match
// PyTorch's CPU kernel, double where the result is folded into weights.
template <typename Real>
struct ChannelAffine {
  std::vector<Real> scale;
  std::vector<Real> shift;
};

template <typename Real>
ChannelAffine<Real> batch_norm_affine(const Tensor& gamma, const Tensor& beta, const Tensor& mean,
                                      const Tensor& variance, double epsilon) {
  const Tensor g = gamma.to_float32();
  const Tensor b = beta.to_float32();
  const Tensor m = mean.to_float32();
  const Tensor v = variance.to_float32();
  ChannelAffine<Real> affine;
  for (std::int64_t c = 0; c < g.numel(); ++c) {
    const Real scale = static_cast<Real>(g.data<float>()[c]) /
                       std::sqrt(static_cast<Real>(v.data<float>()[c]) + static_cast<Real>(epsilon));
    affine.scale.push_back(scale);
    affine.shift.push_back(static_cast<Real>(b.data<float>()[c]) - static_cast<Real>(m.data<float>()[c]) * scale);
  }
  return affine;
}

// The affine map of a BatchNorm node whose statistics (inputs 1 to 4) are constants.
template <typename Real>
ChannelAffine<Real> batch_norm_affine(const Graph& graph, const Node& batch_norm) {
  return batch_norm_affine<Real>(graph.constant(batch_norm.inputs.at(1)), graph.constant(batch_norm.inputs.at(2)),
                                 graph.constant(batch_norm.inputs.at(3)), graph.constant(batch_norm.inputs.at(4)),
                                 batch_norm.attrs.get_float("epsilon", 1e-5));
}

}  // namespace edgeport
