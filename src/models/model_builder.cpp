#include "models/model_builder.h"

#include "core/ops/batch_norm.h"
#include "core/ops/conv.h"
#include "core/ops/linear.h"

namespace edgeport {

int ModelBuilder::conv(const std::string& module, int x, const ConvShape& shape) {
  const int weight = parameter(module + ".weight", {shape.out_channels, shape.in_channels / shape.groups,
                                                    shape.kernel, shape.kernel});
  std::vector<int> inputs = {x, weight};
  if (shape.bias) inputs.push_back(parameter(module + ".bias", {shape.out_channels}));
  Attributes attrs;
  attrs.set("strides", std::vector<std::int64_t>{shape.stride, shape.stride});
  attrs.set("pads", std::vector<std::int64_t>(4, shape.padding));
  attrs.set("group", shape.groups);
  return op(op::Conv, module, std::move(inputs), std::move(attrs));
}

int ModelBuilder::batch_norm(const std::string& module, int x, std::int64_t channels) {
  std::vector<int> inputs = {x};
  for (const char* tensor : {"weight", "bias", "running_mean", "running_var"}) {
    inputs.push_back(parameter(module + "." + tensor, {channels}));
  }
  Attributes attrs;
  attrs.set("epsilon", 1e-5);
  return op(op::BatchNorm, module, std::move(inputs), std::move(attrs));
}

int ModelBuilder::linear(const std::string& module, int x, std::int64_t in_features, std::int64_t out_features) {
  const int weight = parameter(module + ".weight", {out_features, in_features});
  const int bias = parameter(module + ".bias", {out_features});
  return op(op::Linear, module, {x, weight, bias});
}

int ModelBuilder::op(const std::string& op, const std::string& name, std::vector<int> inputs, Attributes attrs) {
  return graph_.add(op, graph_.unique_name(name), std::move(inputs), std::move(attrs));
}

int ModelBuilder::constant(const std::string& name, Tensor tensor) {
  return graph_.add_constant(graph_.unique_name(name), std::move(tensor));
}

int ModelBuilder::parameter(const std::string& key, const Shape& shape) {
  return graph_.add_constant(key, weights_.take(key, shape));
}

}  // namespace edgeport
