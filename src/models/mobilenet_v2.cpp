// torchvision's MobileNetV2 (width 1.0): inverted residual blocks with ReLU6,
// with its module paths as node names and state_dict keys.
#include "core/ops/binary.h"
#include "core/ops/mean.h"
#include "core/ops/reshape.h"
#include "core/ops/unary.h"
#include "models/architecture_def.h"
#include "models/classifier_head.h"

namespace edgeport {
namespace {

// Conv2dNormActivation: conv (no bias, "same" padding), BatchNorm, ReLU6 as
// submodules .0, .1 and .2 of `path`.
int conv_bn_relu6(ModelBuilder& builder, const std::string& path, int x, ConvShape shape) {
  shape.padding = (shape.kernel - 1) / 2;
  x = builder.conv(path + ".0", x, shape);
  x = builder.batch_norm(path + ".1", x, shape.out_channels);
  return builder.op(op::Relu6, path + ".2", {x});
}

// Optional 1x1 expansion, 3x3 depthwise, linear 1x1 projection; a shortcut
// when stride 1 keeps the channel count.
int inverted_residual(ModelBuilder& builder, const std::string& path, int x, std::int64_t in_channels,
                      std::int64_t out_channels, std::int64_t stride, std::int64_t expand_ratio) {
  const std::int64_t hidden = in_channels * expand_ratio;
  int index = 0;
  int out = x;
  if (expand_ratio != 1) {
    out = conv_bn_relu6(builder, path + ".conv." + std::to_string(index++), out,
                        {.in_channels = in_channels, .out_channels = hidden, .kernel = 1});
  }
  out = conv_bn_relu6(builder, path + ".conv." + std::to_string(index++), out,
                      {.in_channels = hidden, .out_channels = hidden, .kernel = 3, .stride = stride, .groups = hidden});
  out = builder.conv(path + ".conv." + std::to_string(index++), out,
                     {.in_channels = hidden, .out_channels = out_channels, .kernel = 1});
  out = builder.batch_norm(path + ".conv." + std::to_string(index), out, out_channels);
  if (stride == 1 && in_channels == out_channels) out = builder.op(op::Add, path + ".add", {x, out});
  return out;
}

struct StageSetting {
  std::int64_t expand_ratio;
  std::int64_t channels;
  int repeats;
  std::int64_t stride;
};

// torchvision's inverted_residual_setting (t, c, n, s); with width 1.0 every
// channel count is already a multiple of 8, so no rounding applies.
constexpr StageSetting kStages[] = {{1, 16, 1, 1},  {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                                    {6, 96, 3, 1},  {6, 160, 3, 2}, {6, 320, 1, 1}};
constexpr std::int64_t kStemChannels = 32;
constexpr std::int64_t kLastChannels = 1280;

int build(ModelBuilder& builder, const ArchSpec& spec, int input) {
  int x = conv_bn_relu6(builder, "features.0", input,
                        {.in_channels = 3, .out_channels = kStemChannels, .kernel = 3, .stride = 2});
  std::int64_t channels = kStemChannels;
  int feature = 1;
  for (const StageSetting& stage : kStages) {
    for (int i = 0; i < stage.repeats; ++i) {
      x = inverted_residual(builder, "features." + std::to_string(feature++), x, channels, stage.channels,
                            i == 0 ? stage.stride : 1, stage.expand_ratio);
      channels = stage.channels;
    }
  }
  x = conv_bn_relu6(builder, "features." + std::to_string(feature), x,
                    {.in_channels = channels, .out_channels = kLastChannels, .kernel = 1});
  x = builder.op(op::GlobalAveragePool, "avgpool", {x});
  x = builder.op(op::Flatten, "flatten", {x});
  // classifier.0 is Dropout, the identity in inference.
  return builder.linear("classifier.1", x, kLastChannels, positive_integer_option(spec.name, "num_classes", spec.options.at("num_classes")));
}

}  // namespace

ArchitectureDef mobilenet_v2_architecture() {
  ArchitectureDef def;
  def.name = "mobilenet_v2";
  def.options = {num_classes_option("classifier.1.weight")};
  def.default_input = {1, 3, 224, 224};
  def.metadata = imagenet_normalization();
  def.build = build;
  return def;
}

}  // namespace edgeport
