// Tiny-LaDeDa, the user's 1,297-parameter deepfake detector, as the authors
// publish it (networks/Tiny_LaDeDa.py): a fixed preprocessing filter, two
// convolutions with BatchNorm, one bottleneck-free block (1x1, then 3x3
// stride 2 valid) and a per-position (or pooled) linear classifier.
#include "core/ops/unary.h"
#include "models/architecture_def.h"
#include "models/ladeda_head.h"
#include "models/ladeda_preprocess.h"

namespace edgeport {
namespace {

constexpr std::int64_t kChannels = 8;

int conv_bn_relu(ModelBuilder& builder, const std::string& prefix, const std::string& index, int x,
                 const ConvShape& shape) {
  x = builder.conv(prefix + "conv" + index, x, shape);
  x = builder.batch_norm(prefix + "bn" + index, x, kChannels);
  return builder.op(op::Relu, prefix + "relu", {x});
}

int build(ModelBuilder& builder, const ArchSpec& spec, int input) {
  int x = ladeda_preprocess(builder, spec.options.at("preprocess"), input);
  x = builder.conv("conv1", x, {.in_channels = 3, .out_channels = kChannels, .kernel = 1});
  x = builder.conv("conv2", x, {.in_channels = kChannels, .out_channels = kChannels, .kernel = 3});
  x = builder.batch_norm("bn1", x, kChannels);
  x = builder.op(op::Relu, "relu", {x});
  x = conv_bn_relu(builder, "layer1.0.", "1", x, {.in_channels = kChannels, .out_channels = kChannels, .kernel = 1});
  x = conv_bn_relu(builder, "layer1.0.", "2", x,
                   {.in_channels = kChannels, .out_channels = kChannels, .kernel = 3, .stride = 2});
  return ladeda_head(builder, spec.options.at("pool") == "true", x, kChannels);
}

void check_input(const ArchSpec& spec, const Shape& input) {
  check_ladeda_preprocess_input("tiny_ladeda", spec.options.at("preprocess"), input);
}

}  // namespace

ArchitectureDef tiny_ladeda_architecture() {
  ArchitectureDef def;
  def.name = "tiny_ladeda";
  def.options = {{"preprocess", ladeda_preprocess_modes(), "right_diag", {}},
                 {"pool", {"true", "false"}, "false", {}}};
  def.default_input = {1, 3, 256, 256};
  // Valid 3x3 then valid 3x3 with stride 2: 5 pixels give one output.
  def.min_extent = 5;
  def.metadata = imagenet_normalization();
  def.check_input = check_input;
  def.build = build;
  return def;
}

}  // namespace edgeport
