// Tiny-LaDeDa, the user's 1,297-parameter deepfake detector: a fixed
// preprocessing filter, two convolutions with BatchNorm, one bottleneck-free
// block and a per-position (or pooled) linear classifier.
#include <array>
#include <map>

#include "core/error.h"
#include "models/architecture_def.h"

namespace edgeport {
namespace {

using Kernel3x3 = std::array<float, 9>;

// Cross-correlation kernels, applied to each RGB channel alone.
const std::map<std::string, Kernel3x3> kPreprocessKernels = {
    {"right_diag", {0, 0, 0, 0, -1, 0, 0, 0, 1}},
    {"left_diag", {0, 0, 0, 0, -1, 0, 1, 0, 0}},
    {"x_grad", {0, 0, 0, 0, -1, 1, 0, 0, 0}},
    {"y_grad", {0, 0, 0, 0, -1, 0, 0, 1, 0}},
};

constexpr std::int64_t kChannels = 8;

int fixed_filter(ModelBuilder& builder, int x, const Kernel3x3& kernel) {
  std::vector<float> weights;
  for (int channel = 0; channel < 3; ++channel) weights.insert(weights.end(), kernel.begin(), kernel.end());
  const int weight = builder.constant("preprocess.weight", Tensor::from_vector<float>({3, 1, 3, 3}, weights));
  Attributes attrs;
  attrs.set("pads", std::vector<std::int64_t>{1, 1, 1, 1});
  attrs.set("group", std::int64_t{3});
  // Part of the model definition, not a learned layer: the quantizer keeps it float.
  attrs.set("frozen", std::int64_t{1});
  return builder.op("Conv", "preprocess", {x, weight}, std::move(attrs));
}

// Neighbourhood pixel relationships: the image minus its 2x nearest
// down-and-up-sampled copy.
int npr(ModelBuilder& builder, int x) {
  Attributes down;
  down.set("scales", std::vector<double>{0.5, 0.5});
  const int coarse = builder.op("Resize", "preprocess.downsample", {x}, std::move(down));
  Attributes up;
  up.set("scales", std::vector<double>{2.0, 2.0});
  const int restored = builder.op("Resize", "preprocess.upsample", {coarse}, std::move(up));
  return builder.op("Sub", "preprocess", {x, restored});
}

int preprocess(ModelBuilder& builder, const std::string& mode, int x) {
  if (mode == "raw") return x;
  if (mode == "NPR") return npr(builder, x);
  return fixed_filter(builder, x, kPreprocessKernels.at(mode));
}

int conv_bn_relu(ModelBuilder& builder, const std::string& prefix, const std::string& index, int x,
                 const ConvShape& shape) {
  x = builder.conv(prefix + "conv" + index, x, shape);
  x = builder.batch_norm(prefix + "bn" + index, x, kChannels);
  return builder.op("Relu", prefix + "relu", {x});
}

int classifier(ModelBuilder& builder, bool pool, int x) {
  if (pool) {
    x = builder.op("GlobalAveragePool", "avgpool", {x});
    x = builder.op("Flatten", "flatten", {x});
    return builder.linear("fc", x, kChannels, 1);
  }
  // Linear(8, 1) applied at every position is a 1x1 convolution with the same
  // numbers; as a Conv it needs no layout transposes in any writer.
  const int weight = builder.constant("fc.weight", builder.weights().take("fc.weight", {1, kChannels}).reshaped(
                                                       {1, kChannels, 1, 1}));
  const int bias = builder.parameter("fc.bias", {1});
  return builder.op("Conv", "fc", {x, weight, bias});
}

int build(ModelBuilder& builder, const ArchSpec& spec, int input) {
  int x = preprocess(builder, spec.options.at("preprocess"), input);
  x = builder.conv("conv1", x, {.in_channels = 3, .out_channels = kChannels, .kernel = 1});
  x = builder.conv("conv2", x, {.in_channels = kChannels, .out_channels = kChannels, .kernel = 3});
  x = builder.batch_norm("bn1", x, kChannels);
  x = builder.op("Relu", "relu", {x});
  x = conv_bn_relu(builder, "layer1.0.", "1", x, {.in_channels = kChannels, .out_channels = kChannels, .kernel = 1});
  x = conv_bn_relu(builder, "layer1.0.", "2", x,
                   {.in_channels = kChannels, .out_channels = kChannels, .kernel = 3, .stride = 2});
  return classifier(builder, spec.options.at("pool") == "true", x);
}

void check_input(const ArchSpec& spec, const Shape& input) {
  if (spec.options.at("preprocess") == "NPR" && (input[2] % 2 != 0 || input[3] % 2 != 0)) {
    throw Error("tiny_ladeda: preprocess=NPR needs even H and W (it halves and doubles the image), given " +
                shape_to_string(input));
  }
}

}  // namespace

ArchitectureDef tiny_ladeda_architecture() {
  ArchitectureDef def;
  def.name = "tiny_ladeda";
  def.options = {{"preprocess", {"right_diag", "left_diag", "x_grad", "y_grad", "raw", "NPR"}, "right_diag", {}},
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
