#include "runtime/conv_chain.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/ops/conv.h"
#include "core/ops/shape_rules.h"
#include "runtime/conv_rows.h"
#include "runtime/parallel.h"

namespace edgeport {
namespace {

// Wider convolutions reuse each input row across enough output channels for
// GEMM-class kernels to win.
constexpr std::int64_t kMaxRowChannels = 16;

bool has_bias(const Node& node) { return node.inputs.size() > 2 && node.inputs[2] != kNoValue; }

// One thread's rows in flight: per layer, a ring of the rows its conv reads.
struct BandState {
  std::vector<std::vector<float>> rings;
  std::vector<std::int64_t> produced;  // per layer: the next input row to lay out
  std::vector<const float*> rows;
  std::vector<const float*> taps;
  std::vector<float*> outputs;
  // Per layer with stride_w > 1: its input rows, padded but not yet split into phases.
  std::vector<std::vector<float>> staging;
  // Per layer: where the previous conv writes this layer's input row.
  std::vector<std::vector<float*>> layer_outputs;
  const float* input = nullptr;
  std::int64_t image = 0;
};

class ChainRunner {
 public:
  ChainRunner(std::vector<ConvRows> layers, int threads) : layers_(std::move(layers)) {
    std::int64_t widest_row = 0;
    std::int64_t most_rows = 0;
    std::int64_t most_taps = 0;
    std::int64_t most_outputs = 0;
    for (const ConvRows& layer : layers_) {
      const ConvGeometry& g = layer.geometry();
      widest_row = std::max(widest_row, layer.row_floats());
      most_rows = std::max(most_rows, g.in_channels * g.kernel_h);
      most_taps = std::max(most_taps, layer.scratch_pointers());
      most_outputs = std::max(most_outputs, g.out_channels);
    }
    zero_row_.assign(static_cast<std::size_t>(widest_row), 0.0f);
    bands_.resize(static_cast<std::size_t>(std::max(threads, 1)));
    for (BandState& band : bands_) {
      for (const ConvRows& layer : layers_) {
        const ConvGeometry& g = layer.geometry();
        band.rings.emplace_back(static_cast<std::size_t>(ring_rows(g) * g.in_channels * layer.row_floats()), 0.0f);
        band.layer_outputs.emplace_back(static_cast<std::size_t>(g.in_channels));
        band.staging.emplace_back(g.stride_w > 1 ? static_cast<std::size_t>(g.in_channels * padded_width(g)) : 0, 0.0f);
      }
      band.produced.resize(layers_.size());
      band.rows.resize(static_cast<std::size_t>(most_rows));
      band.taps.resize(static_cast<std::size_t>(most_taps));
      band.outputs.resize(static_cast<std::size_t>(most_outputs));
    }
  }

  void run(const float* input, float* output) {
    const std::int64_t bands = static_cast<std::int64_t>(bands_.size());
    // One band runs inline: no thread, and no std::function to allocate.
    if (bands == 1) return run_bands(0, 1, input, output);
    parallel_for(bands, static_cast<int>(bands),
                 [&](std::int64_t begin, std::int64_t end) { run_bands(begin, end, input, output); });
  }

 private:
  void run_bands(std::int64_t begin, std::int64_t end, const float* input, float* output) {
    const ConvGeometry& last = layers_.back().geometry();
    const std::int64_t bands = static_cast<std::int64_t>(bands_.size());
    for (std::int64_t b = begin; b < end; ++b) {
      const std::int64_t first = b * last.out_h / bands;
      const std::int64_t stop = (b + 1) * last.out_h / bands;
      for (std::int64_t n = 0; n < last.batch; ++n) {
        run_band(bands_[static_cast<std::size_t>(b)], input, output, n, first, stop);
      }
    }
  }

  static std::int64_t ring_rows(const ConvGeometry& g) { return (g.kernel_h - 1) * g.dilation_h + 1; }

  float* ring_row(BandState& band, std::size_t layer, std::int64_t y, std::int64_t channel) {
    const ConvRows& conv = layers_[layer];
    const ConvGeometry& g = conv.geometry();
    const std::int64_t slot = y % ring_rows(g);
    return band.rings[layer].data() + (slot * g.in_channels + channel) * conv.row_floats();
  }

  void run_band(BandState& band, const float* input, float* output, std::int64_t n, std::int64_t first,
                std::int64_t stop) {
    band.input = input;
    band.image = n;
    std::int64_t needed = first;
    for (std::size_t i = layers_.size(); i-- > 0;) {
      const ConvGeometry& g = layers_[i].geometry();
      needed = std::max<std::int64_t>(0, needed * g.stride_h - g.pad_top);
      band.produced[i] = needed;
    }
    const ConvGeometry& last = layers_.back().geometry();
    std::vector<float*>& outputs = band.outputs;
    for (std::int64_t r = first; r < stop; ++r) {
      for (std::int64_t o = 0; o < last.out_channels; ++o) {
        outputs[static_cast<std::size_t>(o)] = output + ((n * last.out_channels + o) * last.out_h + r) * last.out_w;
      }
      compute_output_row(band, layers_.size() - 1, r, outputs.data());
    }
  }

  // Output row r of conv `layer` into outputs[o], pulling its input rows first.
  void compute_output_row(BandState& band, std::size_t layer, std::int64_t r, float* const* outputs) {
    const ConvRows& conv = layers_[layer];
    const ConvGeometry& g = conv.geometry();
    const std::int64_t top = r * g.stride_h - g.pad_top;
    const std::int64_t bottom = top + (g.kernel_h - 1) * g.dilation_h;
    lay_out_rows(band, layer, std::max<std::int64_t>(top, 0), std::min(bottom, g.in_h - 1));
    // lay_out_rows may recurse and reuse band.rows for earlier layers: fill it afterwards.
    for (std::int64_t c = 0; c < g.in_channels; ++c) {
      for (std::int64_t ky = 0; ky < g.kernel_h; ++ky) {
        const std::int64_t y = top + ky * g.dilation_h;
        band.rows[static_cast<std::size_t>(c * g.kernel_h + ky)] =
            y < 0 || y >= g.in_h ? zero_row_.data() : ring_row(band, layer, y, c);
      }
    }
    conv.compute_row(band.rows.data(), outputs, band.taps.data());
  }

  // Makes input rows [first, last] of conv `layer` present in its ring.
  void lay_out_rows(BandState& band, std::size_t layer, std::int64_t first, std::int64_t last) {
    std::int64_t& produced = band.produced[layer];
    produced = std::max(produced, first);
    for (; produced <= last; ++produced) lay_out_row(band, layer, produced);
  }

  void lay_out_row(BandState& band, std::size_t layer, std::int64_t y) {
    const ConvRows& conv = layers_[layer];
    const ConvGeometry& g = conv.geometry();
    std::vector<float*>& destinations = band.layer_outputs[layer];
    for (std::int64_t c = 0; c < g.in_channels; ++c) {
      destinations[static_cast<std::size_t>(c)] = ring_row_or_staging(band, layer, y, c) + g.pad_left;
    }
    if (layer == 0) {
      for (std::int64_t c = 0; c < g.in_channels; ++c) {
        const float* row = band.input + ((band.image * g.in_channels + c) * g.in_h + y) * g.in_w;
        std::memcpy(destinations[static_cast<std::size_t>(c)], row, static_cast<std::size_t>(g.in_w) * sizeof(float));
      }
    } else {
      compute_output_row(band, layer - 1, y, destinations.data());
    }
    if (g.stride_w == 1) return;
    for (std::int64_t c = 0; c < g.in_channels; ++c) {
      split_phases(band.staging[layer].data() + c * padded_width(g), padded_width(g), g.stride_w,
                   conv.phase_length(), ring_row(band, layer, y, c));
    }
  }

  static std::int64_t padded_width(const ConvGeometry& g) { return g.in_w + g.pad_left + g.pad_right; }

  // Where the previous conv writes input row y, channel c, of `layer`, at
  // column -pad_left: the ring itself, or the staging row that split_phases
  // then lays out.
  float* ring_row_or_staging(BandState& band, std::size_t layer, std::int64_t y, std::int64_t c) {
    const ConvGeometry& g = layers_[layer].geometry();
    if (g.stride_w == 1) return ring_row(band, layer, y, c);
    return band.staging[layer].data() + c * padded_width(g);
  }

  std::vector<ConvRows> layers_;
  std::vector<float> zero_row_;
  std::vector<BandState> bands_;
};

}  // namespace

Tensor conv_float_weight(const Graph& graph, const Node& node) {
  const Tensor& weight = graph.constant(node.inputs[1]);
  return weight.quant ? weight.dequantized() : weight.to_float32();
}

bool conv_rows_can_run(const Graph& graph, const Node& node) {
  if (node.op != op::Conv || node.attrs.get_int("hybrid", 0) != 0) return false;
  const Value& input = graph.value(node.inputs[0]);
  if (input.dtype != DType::Float32 || input.shape.size() != 4) return false;
  const Value& weight = graph.value(node.inputs[1]);
  if (!weight.constant || (weight.dtype != DType::Float32 && !weight.constant->quant)) return false;
  if (has_bias(node)) {
    const Value& bias = graph.value(node.inputs[2]);
    if (!bias.constant || bias.dtype != DType::Float32) return false;
  }
  return true;
}

bool runs_as_conv_rows(const Graph& graph, const Node& node) {
  if (!conv_rows_can_run(graph, node) || channels_last(node)) return false;
  const std::int64_t in_channels = graph.value(node.inputs[0]).shape[1];
  const std::int64_t out_channels = graph.value(node.inputs[1]).shape[0];
  return in_channels < kMaxRowChannels && out_channels < kMaxRowChannels;
}

std::vector<std::vector<int>> find_conv_chains(const Graph& graph) {
  std::vector<std::vector<int>> chains;
  std::vector<bool> taken(graph.nodes.size(), false);
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    if (taken[i] || !runs_as_conv_rows(graph, graph.nodes[i])) continue;
    std::vector<int> chain{static_cast<int>(i)};
    taken[i] = true;
    while (true) {
      const int output = graph.nodes[static_cast<std::size_t>(chain.back())].outputs[0];
      if (std::find(graph.outputs.begin(), graph.outputs.end(), output) != graph.outputs.end()) break;
      const std::vector<int> readers = graph.consumers(output);
      if (readers.size() != 1) break;
      const Node& next = graph.nodes[static_cast<std::size_t>(readers.front())];
      if (taken[static_cast<std::size_t>(readers.front())] || next.inputs[0] != output ||
          !runs_as_conv_rows(graph, next)) {
        break;
      }
      chain.push_back(readers.front());
      taken[static_cast<std::size_t>(readers.front())] = true;
    }
    chains.push_back(std::move(chain));
  }
  return chains;
}

Kernel prepare_conv_chain(const Graph& graph, const std::vector<int>& chain, const RunOptions& options) {
  std::vector<ConvRows> layers;
  for (int index : chain) {
    const Node& node = graph.nodes[static_cast<std::size_t>(index)];
    const Tensor weight = conv_float_weight(graph, node);
    const float* bias = has_bias(node) ? graph.constant(node.inputs[2]).data<float>() : nullptr;
    layers.emplace_back(ConvGeometry::of(graph, node), weight.data<float>(), bias, fused_activation(node));
  }
  auto runner = std::make_shared<ChainRunner>(std::move(layers), options.threads);
  return [runner](const KernelContext& context) {
    runner->run(context.input(0).data<float>(), context.output().data<float>());
  };
}

}  // namespace edgeport
