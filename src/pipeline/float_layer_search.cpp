#include "pipeline/float_layer_search.h"

#include <algorithm>

#include "pipeline/layer_attribution.h"

namespace edgeport {

namespace {

class CandidateMeter {
 public:
  CandidateMeter(const FloatLayerQuantizer& quantize, const std::vector<std::string>& base_float_layers,
                 const OutputSets& reference, const std::vector<LabelledInputs>& inputs,
                 const FloorCheck& meets_floors)
      : quantize_(quantize),
        base_float_layers_(base_float_layers),
        inputs_(inputs),
        meets_floors_(meets_floors),
        reference_(reference) {}

  // Quantizes with `extra` layers also kept in float and measures the result.
  FloatLayerChoice measure(const std::vector<std::string>& extra) {
    std::vector<std::string> float_layers = base_float_layers_;
    float_layers.insert(float_layers.end(), extra.begin(), extra.end());
    const OutputSets candidate = run_on_input_sets(quantize_(float_layers), inputs_);
    FloatLayerChoice choice;
    choice.float_layers = std::move(float_layers);
    choice.comparison = compare_output_sets(inputs_, reference_, candidate);
    choice.met = meets_floors_(choice.comparison, reference_, candidate);
    ++measured_;
    return choice;
  }

  std::size_t measured() const { return measured_; }

 private:
  const FloatLayerQuantizer& quantize_;
  const std::vector<std::string>& base_float_layers_;
  const std::vector<LabelledInputs>& inputs_;
  const FloorCheck& meets_floors_;
  const OutputSets& reference_;
  std::size_t measured_ = 0;
};

bool better(const FloatLayerChoice& candidate, const FloatLayerChoice& best) {
  return candidate.met && (!best.met || candidate.comparison.overall.sqnr_db > best.comparison.overall.sqnr_db);
}

FloatLayerChoice exhaustive_search(CandidateMeter& meter, const std::vector<std::string>& layers) {
  const std::size_t count = layers.size();
  for (std::size_t size = 1; size <= count; ++size) {
    FloatLayerChoice best;
    // Each subset of `size` layers, as a selection mask in lexicographic order.
    std::vector<bool> selected(count, false);
    std::fill(selected.begin(), selected.begin() + static_cast<std::ptrdiff_t>(size), true);
    do {
      std::vector<std::string> extra;
      for (std::size_t i = 0; i < count; ++i) {
        if (selected[i]) extra.push_back(layers[i]);
      }
      FloatLayerChoice candidate = meter.measure(extra);
      if (better(candidate, best)) best = std::move(candidate);
    } while (std::prev_permutation(selected.begin(), selected.end()));
    if (best.met) return best;
  }
  return meter.measure(layers);
}

// Layers kept in float one after another, in the given order, until the
// floors hold.
FloatLayerChoice greedy_search(CandidateMeter& meter, const std::vector<std::string>& ordered) {
  std::vector<std::string> chosen;
  FloatLayerChoice current;
  for (const std::string& layer : ordered) {
    chosen.push_back(layer);
    current = meter.measure(chosen);
    if (current.met) break;
  }
  return current;
}

std::vector<std::string> without(const std::vector<std::string>& layers, const std::vector<std::string>& dropped) {
  std::vector<std::string> kept;
  for (const std::string& layer : layers) {
    if (std::find(dropped.begin(), dropped.end(), layer) == dropped.end()) kept.push_back(layer);
  }
  return kept;
}

}  // namespace

FloatLayerChoice fewest_float_layers(const FloatLayerQuantizer& quantize, const FloatLayerSearch& search,
                                     const OutputSets& float_outputs, const std::vector<LabelledInputs>& inputs,
                                     const FloorCheck& meets_floors, std::size_t exhaustive_limit) {
  CandidateMeter meter(quantize, search.base_float_layers, float_outputs, inputs, meets_floors);
  FloatLayerChoice choice = meter.measure({});
  const std::vector<std::string> layers = without(search.candidates, search.base_float_layers);
  const bool exhaustive = layers.size() <= exhaustive_limit;
  if (!choice.met) {
    choice = exhaustive ? exhaustive_search(meter, layers)
                        : greedy_search(meter, without(search.greedy_order(), search.base_float_layers));
  }
  choice.exhaustive = exhaustive;
  choice.candidates_measured = meter.measured();
  return choice;
}

FloatLayerChoice fewest_float_layers(const Graph& float_graph, const QuantConfig& config,
                                     const std::vector<LabelledInputs>& inputs, const FloorCheck& meets_floors,
                                     const CalibrationStatistics* statistics, std::size_t exhaustive_limit) {
  return fewest_float_layers(float_graph, run_on_input_sets(float_graph, inputs), config, inputs, meets_floors,
                             statistics, exhaustive_limit);
}

FloatLayerChoice fewest_float_layers(const Graph& float_graph, const OutputSets& float_outputs,
                                     const QuantConfig& config, const std::vector<LabelledInputs>& inputs,
                                     const FloorCheck& meets_floors, const CalibrationStatistics* statistics,
                                     std::size_t exhaustive_limit) {
  const FloatLayerQuantizer quantize = [&](const std::vector<std::string>& float_layers) {
    QuantConfig candidate = config;
    candidate.float_layers = float_layers;
    return quantize_graph(float_graph, candidate, statistics).graph;
  };
  // By each layer's share of the output error, measured alone (layer_attribution.h).
  const auto by_error_share = [&] {
    LayerAttribution attribution = attribute_layer_errors(float_graph, config, inputs, statistics);
    std::stable_sort(attribution.layers.begin(), attribution.layers.end(), [](const LayerError& a, const LayerError& b) {
      return a.output_error_share > b.output_error_share;
    });
    std::vector<std::string> ordered;
    for (const LayerError& layer : attribution.layers) ordered.push_back(layer.layer);
    return ordered;
  };
  return fewest_float_layers(quantize, {weight_layers(float_graph), config.float_layers, by_error_share},
                             float_outputs, inputs, meets_floors, exhaustive_limit);
}

}  // namespace edgeport
