// Reference runtime speed: single convolutions in float and hybrid
// arithmetic, and a ResNet-18-shaped stack (random weights, BatchNorm folded)
// at 224x224. Run: build/edgeport_bench --benchmark_filter=Runtime
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "core/graph.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

using Ints = std::vector<std::int64_t>;

Tensor random_floats(Shape shape, std::mt19937& generator) {
  std::uniform_real_distribution<float> distribution(-1.0f, 1.0f);
  Tensor tensor(DType::Float32, std::move(shape));
  for (float& value : tensor.values<float>()) value = distribution(generator);
  return tensor;
}

// A float weight, or its symmetric per-channel int8 quantization when hybrid.
Tensor conv_weight(Shape shape, bool hybrid, std::mt19937& generator) {
  const Tensor real = random_floats(shape, generator);
  if (!hybrid) return real;
  Tensor codes(DType::Int8, shape);
  const std::int64_t channels = shape[0];
  const std::int64_t size = real.numel() / channels;
  QuantParams params{std::vector<float>(static_cast<std::size_t>(channels)),
                     std::vector<std::int32_t>(static_cast<std::size_t>(channels), 0), 0};
  for (std::int64_t c = 0; c < channels; ++c) {
    float max_abs = 0.0f;
    for (std::int64_t i = 0; i < size; ++i) max_abs = std::max(max_abs, std::abs(real.data<float>()[c * size + i]));
    const float scale = max_abs / 127.0f;
    params.scale[static_cast<std::size_t>(c)] = scale;
    for (std::int64_t i = 0; i < size; ++i) {
      codes.data<std::int8_t>()[c * size + i] =
          static_cast<std::int8_t>(std::nearbyint(real.data<float>()[c * size + i] / scale));
    }
  }
  codes.quant = params;
  return codes;
}

struct GraphBuilder {
  Graph graph;
  std::mt19937 generator{1234};
  bool hybrid = false;
  int counter = 0;

  int conv(int input, std::int64_t out_channels, std::int64_t kernel, std::int64_t stride, std::int64_t group,
           const std::string& activation) {
    const std::int64_t in_channels = graph.value(input).shape[1];
    const std::string name = "conv" + std::to_string(counter++);
    const int weight = graph.add_constant(name + ".weight",
                                          conv_weight({out_channels, in_channels / group, kernel, kernel}, hybrid, generator));
    const int bias = graph.add_constant(name + ".bias", random_floats({out_channels}, generator));
    Attributes attrs;
    const std::int64_t pad = kernel / 2;
    attrs.set("strides", Ints{stride, stride});
    attrs.set("pads", Ints{pad, pad, pad, pad});
    attrs.set("group", group);
    attrs.set("activation", activation);
    attrs.set("hybrid", std::int64_t{hybrid ? 1 : 0});
    return graph.add("Conv", name, {input, weight, bias}, attrs);
  }

  int basic_block(int input, std::int64_t channels, std::int64_t stride) {
    int shortcut = input;
    if (stride != 1 || graph.value(input).shape[1] != channels) shortcut = conv(input, channels, 1, stride, 1, "none");
    const int first = conv(input, channels, 3, stride, 1, "relu");
    const int second = conv(first, channels, 3, 1, 1, "none");
    Attributes relu;
    relu.set("activation", std::string("relu"));
    return graph.add("Add", "add" + std::to_string(counter++), {second, shortcut}, relu);
  }
};

void run(benchmark::State& state, const Graph& graph, std::int64_t multiply_adds) {
  std::mt19937 generator(99);
  const Tensor input = random_floats(graph.value(graph.inputs[0]).shape, generator);
  RunOptions options;
  options.threads = static_cast<int>(state.range(0));
  const Session session(graph, options);
  for (auto _ : state) benchmark::DoNotOptimize(session.run({input}));
  state.counters["GMAC/s"] = benchmark::Counter(static_cast<double>(multiply_adds) * 1e-9,
                                                benchmark::Counter::kIsIterationInvariantRate);
}

void single_conv(benchmark::State& state, Shape input, std::int64_t out_channels, std::int64_t group, bool hybrid) {
  GraphBuilder builder;
  builder.hybrid = hybrid;
  const int x = builder.graph.add_input("input", DType::Float32, input);
  builder.graph.mark_output(builder.conv(x, out_channels, 3, 1, group, "relu"));
  const std::int64_t macs = input[0] * out_channels * (input[1] / group) * 9 * input[2] * input[3];
  run(state, builder.graph, macs);
}

void BM_RuntimeConv3x3_8to8_254(benchmark::State& state) { single_conv(state, {1, 8, 254, 254}, 8, 1, false); }
void BM_RuntimeConv3x3_8to8_254_Hybrid(benchmark::State& state) { single_conv(state, {1, 8, 254, 254}, 8, 1, true); }
void BM_RuntimeDepthwise3x3_32_112(benchmark::State& state) { single_conv(state, {1, 32, 112, 112}, 32, 32, false); }
void BM_RuntimeDepthwise3x3_32_112_Hybrid(benchmark::State& state) {
  single_conv(state, {1, 32, 112, 112}, 32, 32, true);
}
void BM_RuntimeConv3x3_64to64_56(benchmark::State& state) { single_conv(state, {1, 64, 56, 56}, 64, 1, false); }
void BM_RuntimeConv3x3_64to64_56_Hybrid(benchmark::State& state) { single_conv(state, {1, 64, 56, 56}, 64, 1, true); }

// ResNet-18 at 224x224: 7x7 stem, max pool, four stages of two basic blocks,
// global average pool and a 1000-way classifier.
void resnet18_like(benchmark::State& state, bool hybrid) {
  GraphBuilder builder;
  builder.hybrid = hybrid;
  Graph& graph = builder.graph;
  int x = graph.add_input("input", DType::Float32, {1, 3, 224, 224});
  x = builder.conv(x, 64, 7, 2, 1, "relu");
  Attributes pool;
  pool.set("kernel", Ints{3, 3});
  pool.set("strides", Ints{2, 2});
  pool.set("pads", Ints{1, 1, 1, 1});
  x = graph.add("MaxPool", "pool", {x}, pool);
  for (const std::int64_t channels : {64, 128, 256, 512}) {
    x = builder.basic_block(x, channels, channels == 64 ? 1 : 2);
    x = builder.basic_block(x, channels, 1);
  }
  x = graph.add("Flatten", "flatten", {graph.add("GlobalAveragePool", "gap", {x})});
  const int weight = graph.add_constant("fc.weight", conv_weight({1000, 512}, hybrid, builder.generator));
  const int bias = graph.add_constant("fc.bias", random_floats({1000}, builder.generator));
  Attributes fc;
  fc.set("hybrid", std::int64_t{hybrid ? 1 : 0});
  graph.mark_output(graph.add("Linear", "fc", {x, weight, bias}, fc));
  constexpr std::int64_t kResnet18MultiplyAdds = 1'814'000'000;
  run(state, graph, kResnet18MultiplyAdds);
}

void BM_RuntimeResnet18Like224(benchmark::State& state) { resnet18_like(state, false); }
void BM_RuntimeResnet18Like224_Hybrid(benchmark::State& state) { resnet18_like(state, true); }

BENCHMARK(BM_RuntimeConv3x3_8to8_254)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RuntimeConv3x3_8to8_254_Hybrid)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RuntimeDepthwise3x3_32_112)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RuntimeDepthwise3x3_32_112_Hybrid)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RuntimeConv3x3_64to64_56)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RuntimeConv3x3_64to64_56_Hybrid)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RuntimeResnet18Like224)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_RuntimeResnet18Like224_Hybrid)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace edgeport
