#include "pipeline/pil_resample.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/error.h"

namespace edgeport {

namespace {

// 8 bits of pixel, 2 bits of headroom for negative lobes and sums above 1.
constexpr int kPrecisionBits = 32 - 8 - 2;

struct Kernel {
  double (*weight)(double distance);
  double support;  // radius in source pixels at scale 1
};

double triangle(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

// Keys' cubic convolution with a = -0.5, PIL's choice (PyTorch uses -0.75).
double keys_cubic(double x) {
  constexpr double a = -0.5;
  x = std::fabs(x);
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
  if (x < 2.0) return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
  return 0.0;
}

Kernel kernel_of(ResizeFilter filter) {
  return filter == ResizeFilter::Bicubic ? Kernel{keys_cubic, 2.0} : Kernel{triangle, 1.0};
}

// Each output sample along one axis reads `count` consecutive source samples
// from `first`, weighted by the fixed-point weights [offset, offset + count).
struct Taps {
  std::vector<int> first;
  std::vector<int> count;
  std::vector<std::size_t> offset;
  std::vector<std::int32_t> weights;
};

// The arithmetic order follows PIL's so that every double, and so every
// rounded weight, is the same: the centre is (i + 0.5) * scale, distances are
// multiplied by 1 / filter_scale, the window bounds round by truncating x + 0.5.
Taps axis_taps(int in_size, int out_size, const Kernel& kernel) {
  const double scale = static_cast<double>(in_size) / out_size;
  const double filter_scale = std::max(scale, 1.0);
  const double support = kernel.support * filter_scale;
  const double inverse_filter_scale = 1.0 / filter_scale;
  Taps taps;
  std::vector<double> window;
  for (int out = 0; out < out_size; ++out) {
    const double center = (out + 0.5) * scale;
    const int first = std::max(0, static_cast<int>(center - support + 0.5));
    const int end = std::min(in_size, static_cast<int>(center + support + 0.5));
    window.clear();
    double total = 0.0;
    for (int source = first; source < end; ++source) {
      window.push_back(kernel.weight((source - center + 0.5) * inverse_filter_scale));
      total += window.back();
    }
    taps.first.push_back(first);
    taps.count.push_back(end - first);
    taps.offset.push_back(taps.weights.size());
    for (double weight : window) {
      if (total != 0.0) weight /= total;
      // Round half away from zero, as PIL converts to fixed point.
      const double scaled = weight * (1 << kPrecisionBits);
      taps.weights.push_back(static_cast<std::int32_t>(scaled < 0 ? scaled - 0.5 : scaled + 0.5));
    }
  }
  return taps;
}

// One output byte: the weighted sum of `count` source bytes `stride` apart,
// plus one half for rounding, floored to 8 bits and clipped like PIL's clip8.
std::uint8_t apply_taps(const std::uint8_t* source, std::size_t stride, const std::int32_t* weights, int count) {
  std::int64_t sum = std::int64_t{1} << (kPrecisionBits - 1);
  for (int k = 0; k < count; ++k) sum += std::int64_t{source[k * stride]} * weights[k];
  return static_cast<std::uint8_t>(std::clamp<std::int64_t>(sum >> kPrecisionBits, 0, 255));
}

Image resize_rows(const Image& image, int width, const Kernel& kernel) {
  const Taps taps = axis_taps(image.width, width, kernel);
  Image result{width, image.height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * image.height * 3)};
  for (std::size_t y = 0; y < static_cast<std::size_t>(image.height); ++y) {
    const std::uint8_t* row = &image.rgb[y * image.width * 3];
    std::uint8_t* out = &result.rgb[y * width * 3];
    for (std::size_t x = 0; x < static_cast<std::size_t>(width); ++x) {
      for (std::size_t channel = 0; channel < 3; ++channel) {
        out[x * 3 + channel] = apply_taps(row + static_cast<std::size_t>(taps.first[x]) * 3 + channel, 3,
                                          &taps.weights[taps.offset[x]], taps.count[x]);
      }
    }
  }
  return result;
}

Image resize_columns(const Image& image, int height, const Kernel& kernel) {
  const Taps taps = axis_taps(image.height, height, kernel);
  const std::size_t row_bytes = static_cast<std::size_t>(image.width) * 3;
  Image result{image.width, height, std::vector<std::uint8_t>(row_bytes * height)};
  for (std::size_t y = 0; y < static_cast<std::size_t>(height); ++y) {
    const std::uint8_t* first_row = &image.rgb[static_cast<std::size_t>(taps.first[y]) * row_bytes];
    for (std::size_t byte = 0; byte < row_bytes; ++byte) {
      result.rgb[y * row_bytes + byte] =
          apply_taps(first_row + byte, row_bytes, &taps.weights[taps.offset[y]], taps.count[y]);
    }
  }
  return result;
}

}  // namespace

Image pil_resize(const Image& image, int width, int height, ResizeFilter filter) {
  if (image.width <= 0 || image.height <= 0 || width <= 0 || height <= 0 ||
      image.rgb.size() != static_cast<std::size_t>(image.width) * image.height * 3) {
    throw Error("cannot resize a " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                " image to " + std::to_string(width) + "x" + std::to_string(height));
  }
  const Kernel kernel = kernel_of(filter);
  // PIL skips a pass whose size does not change. Its horizontal pass also
  // covers only the rows the vertical pass reads, which for a whole-image
  // resize are always all of them.
  Image current = width == image.width ? image : resize_rows(image, width, kernel);
  if (height != current.height) current = resize_columns(current, height, kernel);
  return current;
}

}  // namespace edgeport
