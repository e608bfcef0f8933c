// Linear (see src/core/ops/linear.cpp): y = x W^T + b over the last axis, in
// float32, or with an int8 weight either dequantized or run as a hybrid fully
// connected kernel (each input row quantized to asymmetric int8 on its own).
#include <vector>

#include "core/ops/linear.h"
#include "runtime/activation.h"
#include "runtime/dynamic_quantize.h"
#include "runtime/parallel.h"
#include "runtime/weights.h"

namespace edgeport {
namespace {

struct LinearShape {
  std::int64_t rows;
  std::int64_t in_features;
  std::int64_t out_features;
};

void linear_float(const LinearShape& shape, const float* input, const float* weight, const float* bias,
                  ActivationRange activation, float* output, int threads) {
  parallel_for(shape.rows * shape.out_features, threads, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t item = begin; item < end; ++item) {
      const float* x = input + (item / shape.out_features) * shape.in_features;
      const std::int64_t o = item % shape.out_features;
      const float* w = weight + o * shape.in_features;
      float sum = 0.0f;
      for (std::int64_t i = 0; i < shape.in_features; ++i) sum += x[i] * w[i];
      output[item] = activation.apply(sum + (bias ? bias[o] : 0.0f));
    }
  });
}

void linear_hybrid(const LinearShape& shape, const float* input, const HybridWeight& weight, const float* bias,
                   ActivationRange activation, float* output, int threads) {
  const DynamicQuantizer quantizer = input_quantizer(false);
  std::vector<std::int8_t> codes(static_cast<std::size_t>(shape.in_features));
  std::vector<std::int32_t> centred(codes.size());
  for (std::int64_t row = 0; row < shape.rows; ++row) {
    const AsymmetricParams params = quantize_dynamic(quantizer, {input + row * shape.in_features, codes.size()}, codes);
    for (std::size_t i = 0; i < codes.size(); ++i) centred[i] = codes[i] - params.zero_point;
    float* out = output + row * shape.out_features;
    parallel_for(shape.out_features, threads, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t o = begin; o < end; ++o) {
        const std::int8_t* w = weight.codes + o * shape.in_features;
        std::int32_t acc = 0;
        for (std::int64_t i = 0; i < shape.in_features; ++i) acc += w[i] * centred[static_cast<std::size_t>(i)];
        const float real =
            rescale_accumulator(acc, params.scale, weight.channel_scales[static_cast<std::size_t>(o)]);
        out[o] = activation.apply(real + (bias ? bias[o] : 0.0f));
      }
    });
  }
}

void run_linear(const KernelContext& context) {
  const Tensor& input = context.input(0);
  const Shape& weight_shape = context.input_value(1).shape;
  const std::int64_t rows = weight_shape[1] == 0 ? 0 : input.numel() / weight_shape[1];
  const LinearShape shape{rows, weight_shape[1], weight_shape[0]};
  const ActivationRange activation = fused_activation(context.node);
  const float* bias = context.has_input(2) ? context.input(2).data<float>() : nullptr;
  float* output = context.output().data<float>();
  if (runs_hybrid(context)) {
    linear_hybrid(shape, input.data<float>(), hybrid_weight(context), bias, activation,
                  output, context.options.threads);
  } else {
    const FloatWeight weight(context);
    linear_float(shape, input.data<float>(), weight.data(), bias, activation, output, context.options.threads);
  }
}

const KernelRegistration registration(op::Linear, run_linear);

}  // namespace
}  // namespace edgeport
