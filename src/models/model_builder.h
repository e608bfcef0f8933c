#pragma once

#include <string>
#include <vector>

#include "core/graph.h"
#include "models/state_dict_check.h"

namespace edgeport {

struct ConvShape {
  std::int64_t in_channels = 0;
  std::int64_t out_channels = 0;
  std::int64_t kernel = 1;
  std::int64_t stride = 1;
  std::int64_t padding = 0;
  std::int64_t groups = 1;
  bool bias = false;
};

// Adds PyTorch modules to a graph, one node per module, named after the
// module's path ("layer1.0.conv2") and reading its tensors from the
// state_dict under the same path ("layer1.0.conv2.weight").
class ModelBuilder {
 public:
  ModelBuilder(Graph& graph, CheckedStateDict& weights) : graph_(graph), weights_(weights) {}

  // nn.Conv2d with square kernel, stride and padding.
  int conv(const std::string& module, int x, const ConvShape& shape);
  // nn.BatchNorm2d (or BatchNorm1d) with PyTorch's default epsilon.
  int batch_norm(const std::string& module, int x, std::int64_t channels);
  // nn.Linear with bias.
  int linear(const std::string& module, int x, std::int64_t in_features, std::int64_t out_features);
  // Any other node; the name is made unique (a module applied twice, like
  // ResNet's shared relu, becomes "relu", "relu_1").
  int op(const std::string& op, const std::string& name, std::vector<int> inputs, Attributes attrs = {});
  // A constant that belongs to the architecture rather than the state_dict.
  int constant(const std::string& name, Tensor tensor);
  // A state_dict tensor, checked against the shape the architecture needs.
  int parameter(const std::string& key, const Shape& shape);

  Graph& graph() { return graph_; }
  CheckedStateDict& weights() { return weights_; }

 private:
  Graph& graph_;
  CheckedStateDict& weights_;
};

}  // namespace edgeport
