#include "runtime/conv_winograd.h"

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "runtime/onednn.h"
#include "runtime/parallel.h"

namespace edgeport {
namespace {

// A 4x4 input tile gives a 2x2 output tile; its 16 transformed values are
// the 16 planes.
constexpr int kTile = 4;
constexpr int kOutputTile = 2;
constexpr int kPlanes = kTile * kTile;

// Below this many tiles per image the transformed weights, 16/9 the size of
// the direct ones, serve too few tiles: resnet's 7x7 layers (16 tiles) hold
// most of its weights, and taking them too left resnet18's speed within the
// noise (0.92-0.95x ONNX Runtime against 0.91-0.98x) but raised the peak
// memory of its export by 23 MiB and of resnet50's by 20 MiB.
constexpr std::int64_t kMinTiles = 32;

using Floats8 = float __attribute__((vector_size(32)));

template <typename T>
[[gnu::always_inline]] inline T load(const float* source) {
  T value;
  std::memcpy(&value, source, sizeof value);
  return value;
}

template <typename T>
[[gnu::always_inline]] inline void store(float* target, T value) {
  std::memcpy(target, &value, sizeof value);
}

// B^T d B for channels [c, c + lanes) of one tile; patch[r * 4 + s] points at
// the tile's input pixel (r, s) (all zeros outside the image).
template <typename T>
[[gnu::always_inline]] inline void transform_input_channels(const float* const* patch, std::int64_t c, float* planes,
                                                            std::int64_t plane_stride) {
  T d[kPlanes];
  for (int k = 0; k < kPlanes; ++k) d[k] = load<T>(patch[k] + c);
  T rows[kPlanes];
  for (int s = 0; s < kTile; ++s) {
    rows[0 * kTile + s] = d[0 * kTile + s] - d[2 * kTile + s];
    rows[1 * kTile + s] = d[1 * kTile + s] + d[2 * kTile + s];
    rows[2 * kTile + s] = d[2 * kTile + s] - d[1 * kTile + s];
    rows[3 * kTile + s] = d[1 * kTile + s] - d[3 * kTile + s];
  }
  for (int r = 0; r < kTile; ++r) {
    const T* row = rows + r * kTile;
    float* out = planes + r * kTile * plane_stride + c;
    store(out, row[0] - row[2]);
    store(out + plane_stride, row[1] + row[2]);
    store(out + 2 * plane_stride, row[2] - row[1]);
    store(out + 3 * plane_stride, row[1] - row[3]);
  }
}

[[gnu::target_clones("avx2", "default")]] void transform_input_tile(const float* const* patch, std::int64_t channels,
                                                                      float* planes, std::int64_t plane_stride) {
  std::int64_t c = 0;
  for (; c + 8 <= channels; c += 8) transform_input_channels<Floats8>(patch, c, planes, plane_stride);
  for (; c < channels; ++c) transform_input_channels<float>(patch, c, planes, plane_stride);
}

// A^T m A, plus bias and clamp, for channels [o, o + lanes) of one tile;
// outputs[r * 2 + s] points at output pixel (r, s), null where the tile hangs
// over the output's edge.
template <typename T>
[[gnu::always_inline]] inline void transform_output_channels(const float* planes, std::int64_t plane_stride,
                                                             std::int64_t o, const float* bias,
                                                             ActivationRange activation, float* const* outputs) {
  T m[kPlanes];
  for (int k = 0; k < kPlanes; ++k) m[k] = load<T>(planes + k * plane_stride + o);
  T top[kTile];
  T bottom[kTile];
  for (int s = 0; s < kTile; ++s) {
    top[s] = m[0 * kTile + s] + m[1 * kTile + s] + m[2 * kTile + s];
    bottom[s] = m[1 * kTile + s] - m[2 * kTile + s] - m[3 * kTile + s];
  }
  const T shift = load<T>(bias + o);
  const T y[kOutputTile * kOutputTile] = {top[0] + top[1] + top[2] + shift, top[1] - top[2] - top[3] + shift,
                                          bottom[0] + bottom[1] + bottom[2] + shift,
                                          bottom[1] - bottom[2] - bottom[3] + shift};
  const T low = T{} + activation.low;
  const T high = T{} + activation.high;
  for (int k = 0; k < kOutputTile * kOutputTile; ++k) {
    if (!outputs[k]) continue;
    T value = y[k] < low ? low : y[k];
    value = value > high ? high : value;
    store(outputs[k] + o, value);
  }
}

[[gnu::target_clones("avx2", "default")]] void transform_output_tile(const float* planes, std::int64_t plane_stride,
                                                                       std::int64_t channels, const float* bias,
                                                                       ActivationRange activation,
                                                                       float* const* outputs) {
  std::int64_t o = 0;
  for (; o + 8 <= channels; o += 8) {
    transform_output_channels<Floats8>(planes, plane_stride, o, bias, activation, outputs);
  }
  for (; o < channels; ++o) transform_output_channels<float>(planes, plane_stride, o, bias, activation, outputs);
}

std::int64_t tiles_along(std::int64_t outputs) { return (outputs + kOutputTile - 1) / kOutputTile; }

// G g G^T of every (output, input) channel pair, as 16 planes of
// in_channels x out_channels.
std::vector<float> transform_weights(const ConvGeometry& g, const float* weight) {
  const std::int64_t pairs = g.in_channels * g.out_channels;
  std::vector<float> planes(static_cast<std::size_t>(kPlanes * pairs));
  // Output channels innermost: each plane is written in order (sessions
  // prepare this for every layer, and export makes many sessions).
  for (std::int64_t c = 0; c < g.in_channels; ++c) {
    for (std::int64_t o = 0; o < g.out_channels; ++o) {
      const float* k = weight + (o * g.in_channels + c) * 9;
      float rows[kTile][3];
      for (int s = 0; s < 3; ++s) {
        rows[0][s] = k[s];
        rows[1][s] = 0.5f * (k[s] + k[3 + s] + k[6 + s]);
        rows[2][s] = 0.5f * (k[s] - k[3 + s] + k[6 + s]);
        rows[3][s] = k[6 + s];
      }
      for (int r = 0; r < kTile; ++r) {
        const float transformed[kTile] = {rows[r][0], 0.5f * (rows[r][0] + rows[r][1] + rows[r][2]),
                                          0.5f * (rows[r][0] - rows[r][1] + rows[r][2]), rows[r][2]};
        for (int s = 0; s < kTile; ++s) {
          planes[static_cast<std::size_t>((r * kTile + s) * pairs + c * g.out_channels + o)] = transformed[s];
        }
      }
    }
  }
  return planes;
}

class WinogradConv {
 public:
  WinogradConv(const ConvGeometry& g, const float* weight, const float* bias, ActivationRange activation, int threads)
      : g_(g),
        tiles_h_(tiles_along(g.out_h)),
        tiles_w_(tiles_along(g.out_w)),
        tiles_(g.batch * tiles_h_ * tiles_w_),
        weight_planes_(transform_weights(g, weight)),
        bias_(bias ? std::vector<float>(bias, bias + g.out_channels)
                   : std::vector<float>(static_cast<std::size_t>(g.out_channels), 0.0f)),
        zeros_(static_cast<std::size_t>(g.in_channels), 0.0f),
        activation_(activation),
        threads_(threads) {}

  void run(const float* input, float* output) const {
    // The transformed tiles live only within one run: every Winograd
    // convolution the calling thread runs shares one buffer, grown to the
    // largest and kept, so a warm run allocates nothing and a model's
    // convolutions do not each hold their own.
    thread_local std::vector<float> planes;
    const std::size_t input_floats = static_cast<std::size_t>(kPlanes * tiles_ * g_.in_channels);
    const std::size_t needed = input_floats + static_cast<std::size_t>(kPlanes * tiles_ * g_.out_channels);
    if (planes.size() < needed) planes.resize(needed);
    float* input_planes = planes.data();
    float* product_planes = planes.data() + input_floats;
    over_tiles([&](std::int64_t begin, std::int64_t end) { transform_inputs(input, input_planes, begin, end); });
    over_planes([&](std::int64_t begin, std::int64_t end) {
      multiply_planes(input_planes, product_planes, begin, end);
    });
    over_tiles([&](std::int64_t begin, std::int64_t end) { transform_outputs(product_planes, output, begin, end); });
  }

 private:
  // Inline on one thread: no std::function to allocate per run.
  template <typename Body>
  void over_tiles(const Body& body) const {
    if (threads_ <= 1) return body(0, tiles_);
    parallel_for(tiles_, threads_, body);
  }

  // Threads take whole planes, each product one single-threaded sgemm: the
  // products are small (784 x 64 x 64 for a 64-channel 56x56 layer) for
  // oneDNN to split each between threads, 16 times per run.
  template <typename Body>
  void over_planes(const Body& body) const {
    if (threads_ <= 1) return body(0, kPlanes);
    parallel_for(kPlanes, threads_, body);
  }

  void transform_inputs(const float* input, float* planes, std::int64_t begin, std::int64_t end) const {
    const float* patch[kPlanes];
    const std::int64_t stride = tiles_ * g_.in_channels;
    for (std::int64_t t = begin; t < end; ++t) {
      const std::int64_t image = t / (tiles_h_ * tiles_w_);
      const std::int64_t top = (t / tiles_w_) % tiles_h_ * kOutputTile - g_.pad_top;
      const std::int64_t left = t % tiles_w_ * kOutputTile - g_.pad_left;
      for (int r = 0; r < kTile; ++r) {
        for (int s = 0; s < kTile; ++s) {
          const std::int64_t y = top + r;
          const std::int64_t x = left + s;
          const bool inside = y >= 0 && y < g_.in_h && x >= 0 && x < g_.in_w;
          patch[r * kTile + s] =
              inside ? input + ((image * g_.in_h + y) * g_.in_w + x) * g_.in_channels : zeros_.data();
        }
      }
      transform_input_tile(patch, g_.in_channels, planes + t * g_.in_channels, stride);
    }
  }

  void multiply_planes(const float* input_planes, float* product_planes, std::int64_t begin, std::int64_t end) const {
    use_onednn_threads(1);
    const std::int64_t in_stride = tiles_ * g_.in_channels;
    const std::int64_t weight_stride = g_.in_channels * g_.out_channels;
    const std::int64_t out_stride = tiles_ * g_.out_channels;
    for (std::int64_t k = begin; k < end; ++k) {
      const dnnl_status_t status =
          dnnl_sgemm('N', 'N', tiles_, g_.out_channels, g_.in_channels, 1.0f, input_planes + k * in_stride,
                     g_.in_channels, weight_planes_.data() + k * weight_stride, g_.out_channels, 0.0f,
                     product_planes + k * out_stride, g_.out_channels);
      if (status != dnnl_success) {
        throw Error("Winograd convolution " + std::to_string(g_.in_channels) + "->" +
                    std::to_string(g_.out_channels) + ": oneDNN sgemm failed with status " + std::to_string(status));
      }
    }
  }

  void transform_outputs(const float* planes, float* output, std::int64_t begin, std::int64_t end) const {
    float* outputs[kOutputTile * kOutputTile];
    const std::int64_t stride = tiles_ * g_.out_channels;
    for (std::int64_t t = begin; t < end; ++t) {
      const std::int64_t image = t / (tiles_h_ * tiles_w_);
      const std::int64_t top = (t / tiles_w_) % tiles_h_ * kOutputTile;
      const std::int64_t left = t % tiles_w_ * kOutputTile;
      for (int r = 0; r < kOutputTile; ++r) {
        for (int s = 0; s < kOutputTile; ++s) {
          const std::int64_t y = top + r;
          const std::int64_t x = left + s;
          outputs[r * kOutputTile + s] =
              y < g_.out_h && x < g_.out_w ? output + ((image * g_.out_h + y) * g_.out_w + x) * g_.out_channels
                                           : nullptr;
        }
      }
      transform_output_tile(planes + t * g_.out_channels, stride, g_.out_channels, bias_.data(),
                            activation_, outputs);
    }
  }

  ConvGeometry g_;
  std::int64_t tiles_h_;
  std::int64_t tiles_w_;
  std::int64_t tiles_;
  std::vector<float> weight_planes_;
  std::vector<float> bias_;
  std::vector<float> zeros_;
  ActivationRange activation_;
  int threads_;
};

}  // namespace

bool runs_as_winograd(const ConvGeometry& g) {
  return g.channels_last && g.group == 1 && g.kernel_h == 3 && g.kernel_w == 3 && g.stride_h == 1 &&
         g.stride_w == 1 && g.dilation_h == 1 && g.dilation_w == 1 &&
         tiles_along(g.out_h) * tiles_along(g.out_w) >= kMinTiles;
}

Kernel prepare_winograd_conv(const ConvGeometry& geometry, const Tensor& weight, const Tensor* bias,
                             ActivationRange activation, const RunOptions& options) {
  auto conv = std::make_shared<WinogradConv>(geometry, weight.data<float>(), bias ? bias->data<float>() : nullptr,
                                             activation, options.threads);
  return [conv](const KernelContext& context) {
    conv->run(context.input(0).data<float>(), context.output().data<float>());
  };
}

}  // namespace edgeport
