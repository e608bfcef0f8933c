#include "pipeline/layout_adapter.h"

#include "core/error.h"

namespace edgeport {

Tensor adapt_layout(const Tensor& tensor, const Shape& wanted) {
  const Shape& have = tensor.shape();
  if (have == wanted) return tensor;
  if (have.size() == 4 && wanted.size() == 4 && tensor.dtype() == DType::Float32) {
    if (wanted == Shape{have[0], have[2], have[3], have[1]}) return tensor.permuted({0, 2, 3, 1});
    if (wanted == Shape{have[0], have[3], have[1], have[2]}) return tensor.permuted({0, 3, 1, 2});
  }
  throw Error("shape " + shape_to_string(have) + " does not match " + shape_to_string(wanted) +
              " (nor as NCHW/NHWC)");
}

bool has_nhwc_interface(const Graph& graph) {
  const auto layout = graph.metadata.find("layout");
  return layout != graph.metadata.end() && layout->second == "nhwc";
}

std::optional<ImageInputLayout> image_input_layout(const Graph& graph) {
  if (graph.inputs.size() != 1) return std::nullopt;
  const Shape& shape = graph.value(graph.inputs.front()).shape;
  if (shape.size() != 4) return std::nullopt;
  if (has_nhwc_interface(graph)) {
    if (shape[3] != 3) return std::nullopt;
    return ImageInputLayout{shape[0], shape[1], shape[2], true};
  }
  if (shape[1] != 3) return std::nullopt;
  return ImageInputLayout{shape[0], shape[2], shape[3], false};
}

Tensor interface_to_nchw(const Graph& graph, const Tensor& tensor) {
  if (tensor.rank() != 4 || !has_nhwc_interface(graph)) return tensor;
  return tensor.permuted({0, 3, 1, 2});
}

}  // namespace edgeport
