#include <gtest/gtest.h>

#include "core/error.h"
#include "models/architecture.h"
#include "synthetic_state_dict.h"

namespace edgeport {
namespace {

using testing::find_entry;
using testing::tiny_ladeda_state_dict;

const Node* find_node(const Graph& graph, const std::string& name) {
  for (const Node& node : graph.nodes) {
    if (node.name == name) return &node;
  }
  return nullptr;
}

std::vector<std::string> ops(const Graph& graph) {
  std::vector<std::string> result;
  for (const Node& node : graph.nodes) result.push_back(node.op);
  return result;
}

std::string build_error(const ArchSpec& spec, const StateDict& state_dict, const BuildOptions& options = {}) {
  try {
    build_model(spec, state_dict, options);
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "built without error";
  return "";
}

TEST(TinyLaDeDa, DefaultIsRightDiagonalPatchMap) {
  const Graph graph = build_model(ArchSpec::parse("tiny_ladeda"), tiny_ladeda_state_dict());
  ASSERT_EQ(graph.inputs.size(), 1u);
  ASSERT_EQ(graph.outputs.size(), 1u);
  EXPECT_EQ(graph.value(graph.inputs[0]).name, "input");
  EXPECT_EQ(graph.value(graph.inputs[0]).shape, (Shape{1, 3, 256, 256}));
  EXPECT_EQ(graph.value(graph.outputs[0]).name, "output");
  EXPECT_EQ(graph.value(graph.outputs[0]).shape, (Shape{1, 1, 126, 126}));
  EXPECT_EQ(ops(graph), (std::vector<std::string>{"Conv", "Conv", "Conv", "BatchNorm", "Relu", "Conv", "BatchNorm",
                                                  "Relu", "Conv", "BatchNorm", "Relu", "Conv"}));
  std::vector<std::string> names;
  for (const Node& node : graph.nodes) names.push_back(node.name);
  EXPECT_EQ(names, (std::vector<std::string>{"preprocess", "conv1", "conv2", "bn1", "relu", "layer1.0.conv1",
                                             "layer1.0.bn1", "layer1.0.relu", "layer1.0.conv2", "layer1.0.bn2",
                                             "layer1.0.relu_1", "fc"}));
  EXPECT_EQ(graph.metadata.at("architecture"), "tiny_ladeda");
  EXPECT_EQ(graph.metadata.at("input_mean"), "0.485,0.456,0.406");
  EXPECT_EQ(graph.metadata.at("input_std"), "0.229,0.224,0.225");
}

TEST(TinyLaDeDa, PreprocessIsAFrozenDepthwiseFilter) {
  for (const std::string mode : {"right_diag", "left_diag", "x_grad", "y_grad"}) {
    const Graph graph = build_model(ArchSpec::parse("tiny_ladeda:preprocess=" + mode), tiny_ladeda_state_dict());
    const Node* preprocess = find_node(graph, "preprocess");
    ASSERT_NE(preprocess, nullptr) << mode;
    EXPECT_EQ(preprocess->op, "Conv");
    EXPECT_EQ(preprocess->attrs.get_int("frozen"), 1);
    EXPECT_EQ(preprocess->attrs.get_int("group"), 3);
    EXPECT_EQ(preprocess->attrs.get_ints("pads"), (std::vector<std::int64_t>{1, 1, 1, 1}));
    EXPECT_EQ(preprocess->inputs.size(), 2u) << "the filter has no bias";
    EXPECT_EQ(graph.constant(preprocess->inputs[1]).shape(), (Shape{3, 1, 3, 3}));
    EXPECT_EQ(graph.value(preprocess->outputs[0]).shape, (Shape{1, 3, 256, 256}));
  }
}

TEST(TinyLaDeDa, RawHasNoPreprocess) {
  const Graph graph = build_model(ArchSpec::parse("tiny_ladeda:preprocess=raw"), tiny_ladeda_state_dict());
  EXPECT_EQ(find_node(graph, "preprocess"), nullptr);
  EXPECT_EQ(graph.nodes.front().name, "conv1");
  EXPECT_EQ(graph.nodes.front().inputs[0], graph.inputs[0]);
}

TEST(TinyLaDeDa, NprSubtractsTheDownUpSampledImage) {
  const Graph graph = build_model(ArchSpec::parse("tiny_ladeda:preprocess=NPR"), tiny_ladeda_state_dict());
  const Node* down = find_node(graph, "preprocess.downsample");
  const Node* up = find_node(graph, "preprocess.upsample");
  const Node* sub = find_node(graph, "preprocess");
  ASSERT_TRUE(down && up && sub);
  EXPECT_EQ(down->attrs.get_floats("scales"), (std::vector<double>{0.5, 0.5}));
  EXPECT_EQ(up->attrs.get_floats("scales"), (std::vector<double>{2.0, 2.0}));
  EXPECT_EQ(down->inputs[0], graph.inputs[0]);
  EXPECT_EQ(up->inputs[0], down->outputs[0]);
  EXPECT_EQ(sub->op, "Sub");
  EXPECT_EQ(sub->inputs, (std::vector<int>{graph.inputs[0], up->outputs[0]}));
}

TEST(TinyLaDeDa, NprNeedsEvenExtents) {
  BuildOptions options;
  options.input_shape = {1, 3, 65, 64};
  EXPECT_NE(build_error(ArchSpec::parse("tiny_ladeda:preprocess=NPR"), tiny_ladeda_state_dict(), options)
                .find("needs even H and W"),
            std::string::npos);
  options.input_shape = {1, 3, 64, 64};
  EXPECT_NO_THROW(build_model(ArchSpec::parse("tiny_ladeda:preprocess=NPR"), tiny_ladeda_state_dict(), options));
}

TEST(TinyLaDeDa, PooledVariantEndsInLinear) {
  const Graph graph = build_model(ArchSpec::parse("tiny_ladeda:pool=true"), tiny_ladeda_state_dict());
  EXPECT_EQ(graph.value(graph.outputs[0]).shape, (Shape{1, 1}));
  const std::vector<std::string> all = ops(graph);
  EXPECT_EQ(std::vector<std::string>(all.end() - 3, all.end()),
            (std::vector<std::string>{"GlobalAveragePool", "Flatten", "Linear"}));
  EXPECT_EQ(graph.nodes.back().name, "fc");
  EXPECT_EQ(graph.constant(graph.nodes.back().inputs[1]).shape(), (Shape{1, 8}));
}

TEST(TinyLaDeDa, PerPositionClassifierIsA1x1ConvWithTheLinearWeights) {
  StateDict state_dict = tiny_ladeda_state_dict(5);
  const Graph graph = build_model(ArchSpec::parse("tiny_ladeda"), state_dict);
  const Node& fc = graph.nodes.back();
  EXPECT_EQ(fc.name, "fc");
  EXPECT_EQ(fc.op, "Conv");
  const Tensor& weight = graph.constant(fc.inputs[1]);
  ASSERT_EQ(weight.shape(), (Shape{1, 8, 1, 1}));
  const Tensor* stored = find_entry(state_dict, "fc.weight");
  for (int i = 0; i < 8; ++i) EXPECT_EQ(weight.data<float>()[i], stored->data<float>()[i]);
  ASSERT_EQ(fc.inputs.size(), 3u);
  EXPECT_EQ(graph.constant(fc.inputs[2]).data<float>()[0], find_entry(state_dict, "fc.bias")->data<float>()[0]);
}

TEST(TinyLaDeDa, HasTheUsersParameterCount) {
  const Graph graph = build_model(ArchSpec::parse("tiny_ladeda"), tiny_ladeda_state_dict());
  std::int64_t parameters = 0;
  for (const Value& value : graph.values) {
    const bool statistic = value.name.ends_with("running_mean") || value.name.ends_with("running_var");
    if (value.constant && !statistic && value.name != "preprocess.weight") parameters += value.constant->numel();
  }
  EXPECT_EQ(parameters, 1297);
}

TEST(TinyLaDeDa, InputShapeOverride) {
  BuildOptions options;
  options.input_shape = {2, 3, 64, 48};
  const Graph graph = build_model(ArchSpec::parse("tiny_ladeda"), tiny_ladeda_state_dict(), options);
  EXPECT_EQ(graph.value(graph.outputs[0]).shape, (Shape{2, 1, 30, 22}));
  options.input_shape = {1, 3, 5, 5};
  EXPECT_EQ(build_model(ArchSpec::parse("tiny_ladeda"), tiny_ladeda_state_dict(), options)
                .value(0)
                .shape,
            (Shape{1, 3, 5, 5}));
}

TEST(TinyLaDeDa, RejectsUnusableInputShapes) {
  BuildOptions options;
  options.input_shape = {1, 3, 4, 64};
  EXPECT_NE(build_error(ArchSpec::parse("tiny_ladeda"), tiny_ladeda_state_dict(), options).find("at least 5"),
            std::string::npos);
  options.input_shape = {1, 1, 64, 64};
  EXPECT_NE(build_error(ArchSpec::parse("tiny_ladeda"), tiny_ladeda_state_dict(), options).find("[N,3,H,W]"),
            std::string::npos);
  options.input_shape = {3, 64, 64};
  EXPECT_NE(build_error(ArchSpec::parse("tiny_ladeda"), tiny_ladeda_state_dict(), options).find("[3,64,64]"),
            std::string::npos);
}

TEST(TinyLaDeDa, WeightsAreTheStateDictsValues) {
  const StateDict state_dict = tiny_ladeda_state_dict(9);
  const Graph graph = build_model(ArchSpec::parse("tiny_ladeda"), state_dict);
  for (const auto& [key, tensor] : state_dict.entries) {
    if (key.ends_with("num_batches_tracked") || key.starts_with("fc.")) continue;
    const int id = graph.find_value(key);
    ASSERT_GE(id, 0) << key;
    const Tensor& constant = graph.constant(id);
    ASSERT_EQ(constant.shape(), tensor.shape()) << key;
    for (std::int64_t i = 0; i < tensor.numel(); ++i) {
      ASSERT_EQ(constant.data<float>()[i], tensor.data<float>()[i]) << key;
    }
  }
}

TEST(TinyLaDeDa, BatchNormTakesItsStatisticsInPyTorchOrder) {
  const Graph graph = build_model(ArchSpec::parse("tiny_ladeda"), tiny_ladeda_state_dict());
  const Node* bn = find_node(graph, "layer1.0.bn2");
  ASSERT_NE(bn, nullptr);
  std::vector<std::string> inputs;
  for (std::size_t i = 1; i < bn->inputs.size(); ++i) inputs.push_back(graph.value(bn->inputs[i]).name);
  EXPECT_EQ(inputs, (std::vector<std::string>{"layer1.0.bn2.weight", "layer1.0.bn2.bias", "layer1.0.bn2.running_mean",
                                              "layer1.0.bn2.running_var"}));
  EXPECT_DOUBLE_EQ(bn->attrs.get_float("epsilon"), 1e-5);
}

}  // namespace
}  // namespace edgeport
