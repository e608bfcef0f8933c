#include <gtest/gtest.h>

#include "core/error.h"
#include "core/input_normalization.h"
#include "graph_fixtures.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

using namespace edgeport::testing;

constexpr float kMean[3] = {0.485f, 0.456f, 0.406f};
constexpr float kStd[3] = {0.229f, 0.224f, 0.225f};

// A gradient filter (depthwise 3x3, zero padding 1, a kernel that sums to
// zero) and a 1x1 conv after it, as at the front of Tiny-LaDeDa. The padding
// is where a fold that padded raw pixels with 0 would go wrong.
Graph padded_front(std::mt19937& rng) {
  Graph graph;
  const int x = graph.add_input("image", DType::Float32, {1, 3, 12, 10});
  const std::vector<float> kernel = {-2, -1, 0, -1, 0, 1, 0, 1, 2};
  std::vector<float> weights;
  for (int c = 0; c < 3; ++c) weights.insert(weights.end(), kernel.begin(), kernel.end());
  Attributes gradient;
  gradient.set("pads", ints({1, 1, 1, 1}));
  gradient.set("group", std::int64_t{3});
  const int filtered = graph.add("Conv", "preprocess",
                                 {x, graph.add_constant("preprocess.weight", Tensor::from_vector({3, 1, 3, 3}, weights))},
                                 gradient);
  const int mixed = graph.add("Conv", "conv1",
                              {filtered, graph.add_constant("conv1.weight", random_tensor({4, 3, 1, 1}, rng)),
                               graph.add_constant("conv1.bias", random_tensor({4}, rng))});
  graph.mark_output(mixed);
  graph.metadata["input_mean"] = "0.485,0.456,0.406";
  graph.metadata["input_std"] = "0.229,0.224,0.225";
  return graph;
}

// Integer pixel values, and the same image normalised as the model was trained.
std::pair<Tensor, Tensor> pixels_and_normalized(const Shape& shape, std::mt19937& rng) {
  std::uniform_int_distribution<int> level(0, 255);
  Tensor pixels(DType::Float32, shape);
  Tensor normalized(DType::Float32, shape);
  const std::int64_t plane = shape[2] * shape[3];
  for (std::int64_t i = 0; i < pixels.numel(); ++i) {
    const auto c = static_cast<std::size_t>((i / plane) % 3);
    const int value = level(rng);
    pixels.data<float>()[i] = static_cast<float>(value);
    normalized.data<float>()[i] = (static_cast<float>(value) / 255.0f - kMean[c]) / kStd[c];
  }
  return {pixels, normalized};
}

TEST(FoldInputNormalization, RawPixelsGiveTheNormalisedModelsOutputBordersIncluded) {
  std::mt19937 rng(7);
  const Graph original = padded_front(rng);
  Graph folded = original;
  fold_input_normalization(folded);
  EXPECT_TRUE(takes_raw_pixels(folded));
  EXPECT_EQ(folded.metadata.count("input_mean"), 0u);
  EXPECT_EQ(folded.nodes.front().op, "Conv");
  const auto [pixels, normalized] = pixels_and_normalized({1, 3, 12, 10}, rng);
  const Tensor expected = run_graph(original, normalized, kReference);
  EXPECT_LE(max_abs_diff(run_graph(folded, pixels, kReference), expected), 1e-5f * max_abs(expected));
  // The linear-conv merge must leave the normalisation outside the padding.
  Graph merged = folded;
  merge_linear_convs(merged);
  merged.compact();
  EXPECT_LE(max_abs_diff(run_graph(merged, pixels, kReference), expected), 1e-5f * max_abs(expected));
}

// What the pass avoids: scaling the filter and padding the pixels with 0
// changes the border (the kernel sums to zero, so the interior agrees).
TEST(FoldInputNormalization, ZeroPaddedPixelsWouldChangeOnlyTheBorder) {
  std::mt19937 rng(8);
  Graph original = padded_front(rng);
  const auto [pixels, normalized] = pixels_and_normalized({1, 3, 12, 10}, rng);
  Graph naive = original;
  Tensor& weight = *naive.value(naive.find_value("preprocess.weight")).constant;
  for (std::int64_t i = 0; i < weight.numel(); ++i) weight.data<float>()[i] /= 255.0f * kStd[i / 9];
  const Tensor expected = run_graph(original, normalized, kReference);
  const Tensor border_wrong = run_graph(naive, pixels, kReference);
  const std::int64_t height = 12, width = 10, channels = 4;
  float interior = 0.0f, border = 0.0f;
  for (std::int64_t c = 0; c < channels; ++c) {
    for (std::int64_t y = 0; y < height; ++y) {
      for (std::int64_t x = 0; x < width; ++x) {
        const std::int64_t i = (c * height + y) * width + x;
        const float difference = std::fabs(border_wrong.data<float>()[i] - expected.data<float>()[i]);
        const bool on_border = y == 0 || x == 0 || y == height - 1 || x == width - 1;
        (on_border ? border : interior) = std::max(on_border ? border : interior, difference);
      }
    }
  }
  EXPECT_LE(interior, 1e-4f * max_abs(expected));
  EXPECT_GT(border, 1e-2f * max_abs(expected));
}

TEST(FoldInputNormalization, RefusesAModelWithoutNormalisationOrAlreadyRaw) {
  std::mt19937 rng(9);
  Graph bare = padded_front(rng);
  bare.metadata.clear();
  EXPECT_THROW(fold_input_normalization(bare), Error);
  Graph folded = padded_front(rng);
  fold_input_normalization(folded);
  EXPECT_THROW(fold_input_normalization(folded), Error);
}

}  // namespace
}  // namespace edgeport
