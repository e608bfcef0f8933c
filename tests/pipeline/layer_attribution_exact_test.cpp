#include <gtest/gtest.h>

#include <filesystem>
#include <optional>

#include "core/error.h"
#include "core/ops/quantization.h"
#include "pipeline/compare_models.h"
#include "pipeline/layer_attribution.h"
#include "pipeline/model_file.h"

namespace edgeport {
namespace {

// The figures as first defined: every layer measured by running the whole
// float graph with only that layer's parameters taken from the quantized
// graph. attribute_layer_errors runs only the part downstream of the layer;
// its figures must be these, to the last bit.
Graph with_only_layer_quantized(const Graph& float_graph, const Graph& quantized, const std::string& layer) {
  Graph graph = float_graph;
  for (const Node& node : quantized.nodes) {
    if (node.name != layer) continue;
    for (std::size_t i = 1; i < node.inputs.size(); ++i) {
      const int producer = quantized.producer(node.inputs[i]);
      std::optional<Tensor> parameter;
      if (producer >= 0 && quantized.nodes[static_cast<std::size_t>(producer)].op == op::Dequantize) {
        parameter = quantized.constant(quantized.nodes[static_cast<std::size_t>(producer)].inputs.at(0)).dequantized();
      } else if (quantized.is_constant(node.inputs[i])) {
        parameter = quantized.constant(node.inputs[i]);
      }
      if (!parameter) continue;
      const int replacement = graph.add_constant(graph.unique_name(layer + "_parameter"), *parameter);
      for (Node& reader : graph.nodes) {
        if (reader.name != layer) continue;
        if (reader.inputs.size() <= i) reader.inputs.resize(i + 1, kNoValue);
        reader.inputs[i] = replacement;
      }
    }
  }
  return graph;
}

int output_of(const Graph& graph, const std::string& layer) {
  for (const Node& node : graph.nodes) {
    if (node.name == layer) return node.outputs.at(0);
  }
  throw Error("no node " + layer);
}

// The graph's outputs on each input, then those of `layers`.
OutputSets run_watching_layers(Graph graph, const std::vector<std::string>& layers,
                               const std::vector<LabelledInputs>& inputs) {
  for (const std::string& layer : layers) graph.mark_output(output_of(graph, layer));
  return run_on_input_sets(graph, inputs);
}

ModelComparison compare_one(const OutputSets& reference, std::size_t index, const OutputSets& candidate,
                            std::size_t candidate_index) {
  ComparisonAccumulator accumulator;
  for (std::size_t set = 0; set < reference.size(); ++set) {
    accumulator.add(reference[set][index], candidate[set][candidate_index]);
  }
  return accumulator.result();
}

void expect_whole_graph_figures(const Graph& float_graph, const std::vector<LabelledInputs>& all_inputs) {
  const Graph quantized = quantize_graph(float_graph, QuantConfig{}).graph;
  const LayerAttribution attribution = attribute_layer_errors(float_graph, quantized, all_inputs);
  ASSERT_FALSE(attribution.layers.empty());
  const std::vector<LabelledInputs> inputs(all_inputs.begin(),
                                           all_inputs.begin() + static_cast<std::ptrdiff_t>(attribution.inputs));
  std::vector<std::string> layers;
  for (const LayerError& layer : attribution.layers) layers.push_back(layer.layer);
  const std::size_t outputs = float_graph.outputs.size();
  const OutputSets reference = run_watching_layers(float_graph, layers, inputs);
  const OutputSets all_quantized = run_watching_layers(quantized, layers, inputs);
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const OutputSets alone =
        run_watching_layers(with_only_layer_quantized(float_graph, quantized, layers[l]), {layers[l]}, inputs);
    ComparisonAccumulator model;
    for (std::size_t set = 0; set < inputs.size(); ++set) {
      for (std::size_t i = 0; i < outputs; ++i) model.add(reference[set][i], alone[set][i]);
    }
    // The runtime rewrites each graph it runs (merged convs, depth-first
    // chains) by what that graph watches, so the downstream part and the whole
    // graph round differently, by about 1e-6 of the output scale. Against a
    // quantization error 78 dB down that moves the SQNR by up to 3e-4 dB here.
    const LayerError& figures = attribution.layers[l];
    constexpr double kRoundingDb = 1e-2;
    EXPECT_NEAR(figures.output_sqnr_db, model.result().sqnr_db, kRoundingDb) << layers[l];
    EXPECT_NEAR(figures.own_sqnr_db, compare_one(reference, outputs + l, alone, outputs).sqnr_db, kRoundingDb)
        << layers[l];
    EXPECT_NEAR(figures.propagated_sqnr_db,
                compare_one(reference, outputs + l, all_quantized, outputs + l).sqnr_db, kRoundingDb)
        << layers[l];
  }
}

TEST(LayerAttributionDownstreamRuns, EqualWholeGraphRunsOnTheSampleDetector) {
  const Graph graph = load_model("models/tiny_ladeda_sample.pt").graph;
  expect_whole_graph_figures(graph, make_input_sets(graph, {}, 3, 7));
}

// At 1024x1024 one input's float values pass the 96 MB the attribution holds
// at once, so it takes the inputs one at a time.
TEST(LayerAttributionDownstreamRuns, EqualWholeGraphRunsWhenTheInputsGoOneAtATime) {
  LoadOptions options;
  options.input_shape = {1, 3, 1024, 1024};
  const Graph graph = load_model("models/tiny_ladeda_sample.pt", options).graph;
  std::size_t bytes = 0;
  for (const Node& node : graph.nodes) {
    for (int output : node.outputs) bytes += shape_nbytes(graph.value(output).shape, graph.value(output).dtype);
  }
  ASSERT_GT(bytes, std::size_t{96} << 20);
  expect_whole_graph_figures(graph, make_input_sets(graph, {}, 3, 7));
}

// Residual blocks: a layer's downstream part also reads the skip connections.
TEST(LayerAttributionDownstreamRuns, EqualWholeGraphRunsThroughResidualBlocks) {
  const std::filesystem::path checkpoint = "tests/generated/models/resnet18.pt";
  if (!std::filesystem::exists(checkpoint)) GTEST_SKIP() << checkpoint << " not generated";
  LoadOptions options;
  options.input_shape = {1, 3, 32, 32};
  const Graph graph = load_model(checkpoint, options).graph;
  expect_whole_graph_figures(graph, make_input_sets(graph, {}, 1, 11));
}

}  // namespace
}  // namespace edgeport
