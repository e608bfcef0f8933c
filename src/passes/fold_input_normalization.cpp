// A camera hands over bytes 0..255; the model was trained on (pixel / 255 -
// mean) / std. Moving that affine map into the graph, as a per-channel 1x1
// depthwise convolution in front of everything else, lets a full-integer file
// take the bytes as they are. It goes before the first convolution rather
// than into it, so that convolution's zero padding still pads normalised
// values: the model stays the same function, borders included.
#include <algorithm>

#include "core/error.h"
#include "core/input_normalization.h"
#include "core/ops/conv.h"
#include "passes/passes.h"

namespace edgeport {

void fold_input_normalization(Graph& graph) {
  if (takes_raw_pixels(graph)) throw Error("--fold-normalization: the model already takes raw pixels 0..255");
  const std::optional<Normalization> normalization = graph_normalization(graph);
  if (!normalization) {
    throw Error("--fold-normalization: the model records no input normalisation (input_mean and input_std)");
  }
  if (graph.inputs.size() != 1) {
    throw Error("--fold-normalization: the model has " + std::to_string(graph.inputs.size()) +
                " inputs; it folds the normalisation of a single image input");
  }
  const int input = graph.inputs.front();
  const Value& image = graph.value(input);
  if (image.dtype != DType::Float32 || image.shape.size() != 4 || image.shape[1] != 3) {
    throw Error("--fold-normalization: input '" + image.name + "' is " + std::string(dtype_name(image.dtype)) + " " +
                shape_to_string(image.shape) + ", not a float32 [N,3,H,W] image");
  }
  const std::vector<int> readers = graph.consumers(input);
  std::vector<float> scales;
  std::vector<float> offsets;
  for (std::size_t c = 0; c < 3; ++c) {
    const double std = normalization->std[c];
    scales.push_back(static_cast<float>(1.0 / (255.0 * std)));
    offsets.push_back(static_cast<float>(-static_cast<double>(normalization->mean[c]) / std));
  }
  const int weight = graph.add_constant(graph.unique_name("input_normalization.weight"),
                                        Tensor::from_vector<float>({3, 1, 1, 1}, scales));
  const int bias = graph.add_constant(graph.unique_name("input_normalization.bias"),
                                      Tensor::from_vector<float>({3}, offsets));
  Attributes attrs;
  attrs.set("group", std::int64_t{3});
  const int normalized = graph.add(op::Conv, graph.unique_name("input_normalization"), {input, weight, bias},
                                   std::move(attrs));
  // add() appends; the new node reads only the input, so it may go first.
  std::rotate(graph.nodes.begin(), graph.nodes.end() - 1, graph.nodes.end());
  for (int reader : readers) {
    for (int& read : graph.nodes[static_cast<std::size_t>(reader) + 1].inputs) {
      if (read == input) read = normalized;
    }
  }
  for (int& output : graph.outputs) {
    if (output == input) output = normalized;
  }
  mark_raw_pixels(graph);
  graph.validate();
}

}  // namespace edgeport
