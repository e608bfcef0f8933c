// torchvision's ResNet-18 (BasicBlock, layers [2,2,2,2]), with its module
// paths as node names and state_dict keys.
#include "core/ops/binary.h"
#include "core/ops/mean.h"
#include "core/ops/pool.h"
#include "core/ops/reshape.h"
#include "core/ops/unary.h"
#include "models/architecture_def.h"
#include "models/classifier_head.h"

namespace edgeport {
namespace {

int conv_bn(ModelBuilder& builder, const std::string& conv, const std::string& bn, int x, const ConvShape& shape) {
  return builder.batch_norm(bn, builder.conv(conv, x, shape), shape.out_channels);
}

// conv3x3-bn-relu-conv3x3-bn, plus the shortcut (a strided 1x1 conv-bn when
// the shape changes), then relu.
int basic_block(ModelBuilder& builder, const std::string& path, int x, std::int64_t in_channels,
                std::int64_t channels, std::int64_t stride) {
  int out = conv_bn(builder, path + ".conv1", path + ".bn1", x,
                    {.in_channels = in_channels, .out_channels = channels, .kernel = 3, .stride = stride, .padding = 1});
  out = builder.op(op::Relu, path + ".relu", {out});
  out = conv_bn(builder, path + ".conv2", path + ".bn2", out,
                {.in_channels = channels, .out_channels = channels, .kernel = 3, .padding = 1});
  int identity = x;
  if (stride != 1 || in_channels != channels) {
    identity = conv_bn(builder, path + ".downsample.0", path + ".downsample.1", x,
                       {.in_channels = in_channels, .out_channels = channels, .kernel = 1, .stride = stride});
  }
  out = builder.op(op::Add, path + ".add", {out, identity});
  return builder.op(op::Relu, path + ".relu", {out});
}

int build(ModelBuilder& builder, const ArchSpec& spec, int input) {
  int x = conv_bn(builder, "conv1", "bn1", input,
                  {.in_channels = 3, .out_channels = 64, .kernel = 7, .stride = 2, .padding = 3});
  x = builder.op(op::Relu, "relu", {x});
  Attributes pool;
  pool.set("kernel", std::vector<std::int64_t>{3, 3});
  pool.set("strides", std::vector<std::int64_t>{2, 2});
  pool.set("pads", std::vector<std::int64_t>{1, 1, 1, 1});
  x = builder.op(op::MaxPool, "maxpool", {x}, std::move(pool));
  std::int64_t channels = 64;
  for (int layer = 1; layer <= 4; ++layer) {
    const std::int64_t width = std::int64_t{64} << (layer - 1);
    for (int block = 0; block < 2; ++block) {
      const std::int64_t stride = layer > 1 && block == 0 ? 2 : 1;
      x = basic_block(builder, "layer" + std::to_string(layer) + "." + std::to_string(block), x, channels, width,
                      stride);
      channels = width;
    }
  }
  x = builder.op(op::GlobalAveragePool, "avgpool", {x});
  x = builder.op(op::Flatten, "flatten", {x});
  return builder.linear("fc", x, channels, positive_integer_option(spec.name, "num_classes", spec.options.at("num_classes")));
}

}  // namespace

ArchitectureDef resnet18_architecture() {
  ArchitectureDef def;
  def.name = "resnet18";
  def.options = {num_classes_option("fc.weight")};
  def.default_input = {1, 3, 224, 224};
  def.metadata = imagenet_normalization();
  def.build = build;
  return def;
}

}  // namespace edgeport
