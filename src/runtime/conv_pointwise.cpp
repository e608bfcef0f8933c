#include "runtime/conv_pointwise.h"

#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "runtime/onednn.h"

namespace edgeport {

namespace {

struct PointwiseConv {
  ConvGeometry geometry;
  std::vector<float> weight;
  std::vector<float> bias;
  ActivationRange activation;
  int threads = 1;

  void run(const float* input, float* output) const {
    const ConvGeometry& g = geometry;
    const std::int64_t plane = g.in_h * g.in_w;
    use_onednn_threads(threads);
    for (std::int64_t image = 0; image < g.batch; ++image) {
      float* out = output + image * g.out_channels * plane;
      const dnnl_status_t status =
          dnnl_sgemm('N', 'N', g.out_channels, plane, g.in_channels, 1.0f, weight.data(), g.in_channels,
                     input + image * g.in_channels * plane, plane, 0.0f, out, plane);
      if (status != dnnl_success) {
        throw Error("pointwise convolution " + std::to_string(g.in_channels) + "->" +
                    std::to_string(g.out_channels) + ": oneDNN sgemm failed with status " + std::to_string(status));
      }
      finish(out, plane);
    }
  }

  // One pass over the product, as the reference adds the bias before clamping.
  void finish(float* out, std::int64_t plane) const {
    if (bias.empty() && activation.is_identity()) return;
    for (std::int64_t channel = 0; channel < geometry.out_channels; ++channel) {
      const float shift = bias.empty() ? 0.0f : bias[static_cast<std::size_t>(channel)];
      float* row = out + channel * plane;
      for (std::int64_t i = 0; i < plane; ++i) row[i] = activation.apply(row[i] + shift);
    }
  }
};

}  // namespace

bool is_pointwise(const ConvGeometry& g) {
  return g.group == 1 && g.kernel_h == 1 && g.kernel_w == 1 && g.stride_h == 1 && g.stride_w == 1 &&
         g.pad_top == 0 && g.pad_left == 0 && g.pad_bottom == 0 && g.pad_right == 0 && g.out_h == g.in_h &&
         g.out_w == g.in_w;
}

Kernel prepare_pointwise_conv(const ConvGeometry& geometry, const Tensor& weight, const Tensor* bias,
                              ActivationRange activation, const RunOptions& options) {
  auto conv = std::make_shared<PointwiseConv>();
  conv->geometry = geometry;
  const auto weights = weight.values<float>();
  conv->weight.assign(weights.begin(), weights.end());
  if (bias) {
    const auto biases = bias->values<float>();
    conv->bias.assign(biases.begin(), biases.end());
  }
  conv->activation = activation;
  conv->threads = options.threads;
  return [conv](const KernelContext& context) {
    conv->run(context.input(0).data<float>(), context.output().data<float>());
  };
}

}  // namespace edgeport
