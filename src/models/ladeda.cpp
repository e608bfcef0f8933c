// LaDeDa, the authors' teacher model (networks/LaDeDa.py, branch main): a
// ResNet-50-shaped network of Bottleneck blocks whose 3x3 convolutions are
// unpadded and mostly replaced by 1x1, so each output sees only a small patch
// of the image (9x9 for LaDeDa9, the paper's model). The preprocessing is
// Tiny-LaDeDa's; the head is one Linear(2048, 1) per position or pooled.
#include <array>

#include "core/ops/binary.h"
#include "core/ops/slice.h"
#include "core/ops/unary.h"
#include "core/error.h"
#include "models/architecture_def.h"
#include "models/ladeda_head.h"
#include "models/ladeda_preprocess.h"

namespace edgeport {
namespace {

constexpr int kStages = 4;
constexpr std::int64_t kExpansion = 4;
constexpr std::int64_t kStemChannels = 64;
constexpr std::int64_t kFeatures = 512 * kExpansion;
constexpr std::array<int, kStages> kBlocks = {3, 4, 6, 3};
constexpr std::array<std::int64_t, kStages> kStrides = {2, 2, 2, 1};

using KernelFlags = std::array<bool, kStages>;

struct Variant {
  std::string name;
  KernelFlags flags;
};

// Which stages open with a 3x3 convolution, the paper's model first. The
// variant's number is the receptive field of one output, which is also the
// smallest input it takes.
const std::vector<Variant>& variants() {
  static const std::vector<Variant> table = {
      {"9", {true, true, false, false}},
      {"5", {true, false, false, false}},
      {"17", {true, true, true, false}},
      {"33", {true, true, true, true}},
  };
  return table;
}

const KernelFlags& variant_flags(const std::string& name) {
  for (const Variant& variant : variants()) {
    if (variant.name == name) return variant.flags;
  }
  throw Error("ladeda: unknown variant '" + name + "'");
}

std::vector<std::string> variant_names() {
  std::vector<std::string> names;
  for (const Variant& variant : variants()) names.push_back(variant.name);
  return names;
}

std::string stage_path(int stage, int block) { return "layer" + std::to_string(stage + 1) + "." + std::to_string(block); }

// The kernel sizes of each stage's first conv2 are in the weights; anything
// else (a missing or odd tensor) falls back to the paper's LaDeDa9 and lets
// the strict key check report the problem.
std::string derive_variant(const CheckedStateDict& weights) {
  KernelFlags flags{};
  for (int stage = 0; stage < kStages; ++stage) {
    const Tensor* weight = weights.peek(stage_path(stage, 0) + ".conv2.weight");
    if (!weight || weight->rank() != 4) return "9";
    flags[static_cast<std::size_t>(stage)] = weight->dim(2) == 3;
  }
  for (const Variant& variant : variants()) {
    if (variant.flags == flags) return variant.name;
  }
  return "9";
}

int conv_bn(ModelBuilder& builder, const std::string& path, const std::string& index, int x, const ConvShape& shape) {
  x = builder.conv(path + ".conv" + index, x, shape);
  return builder.batch_norm(path + ".bn" + index, x, shape.out_channels);
}

// The shortcut is cropped at the bottom and right by the amount the unpadded
// conv2 shrank the width, in both axes, as the authors do.
int crop_to(ModelBuilder& builder, const std::string& path, int residual, int out) {
  const Shape& residual_shape = builder.graph().value(residual).shape;
  const Shape& out_shape = builder.graph().value(out).shape;
  const std::int64_t excess = residual_shape[3] - out_shape[3];
  if (excess == 0) return residual;
  Attributes attrs;
  attrs.set("starts", std::vector<std::int64_t>{0, 0});
  attrs.set("ends", std::vector<std::int64_t>{residual_shape[2] - excess, residual_shape[3] - excess});
  attrs.set("axes", std::vector<std::int64_t>{2, 3});
  return builder.op(op::Slice, path + ".residual_crop", {residual}, std::move(attrs));
}

// conv1 1x1, conv2 kxk stride s unpadded, conv3 1x1 to 4x the width, each
// with BatchNorm, plus the (downsampled, cropped) shortcut, then relu.
int bottleneck(ModelBuilder& builder, const std::string& path, int x, std::int64_t in_channels,
               std::int64_t planes, std::int64_t kernel, std::int64_t stride) {
  const std::int64_t out_channels = planes * kExpansion;
  int out = conv_bn(builder, path, "1", x, {.in_channels = in_channels, .out_channels = planes});
  out = builder.op(op::Relu, path + ".relu", {out});
  out = conv_bn(builder, path, "2", out,
                {.in_channels = planes, .out_channels = planes, .kernel = kernel, .stride = stride});
  out = builder.op(op::Relu, path + ".relu", {out});
  out = conv_bn(builder, path, "3", out, {.in_channels = planes, .out_channels = out_channels});
  int residual = x;
  if (stride != 1 || in_channels != out_channels) {
    residual = builder.conv(path + ".downsample.0", x,
                            {.in_channels = in_channels, .out_channels = out_channels, .stride = stride});
    residual = builder.batch_norm(path + ".downsample.1", residual, out_channels);
  }
  out = builder.op(op::Add, path + ".add", {out, crop_to(builder, path, residual, out)});
  return builder.op(op::Relu, path + ".relu", {out});
}

// The variant may come from the weights, so its input rule is checked here
// rather than in check_input, which runs before they are read.
void check_extent(const std::string& variant, const Shape& input) {
  const std::int64_t smallest = positive_integer_option("ladeda", "variant", variant);
  if (input[2] < smallest || input[3] < smallest) {
    throw Error("ladeda: input shape " + shape_to_string(input) + " is too small for variant=" + variant +
                "; H and W must be at least " + variant + " (its receptive field)");
  }
}

int build(ModelBuilder& builder, const ArchSpec& spec, int input) {
  const std::string& variant = spec.options.at("variant");
  check_extent(variant, builder.graph().value(input).shape);
  const KernelFlags& flags = variant_flags(variant);
  int x = ladeda_preprocess(builder, spec.options.at("preprocess"), input);
  x = builder.conv("conv1", x, {.in_channels = 3, .out_channels = kStemChannels});
  x = builder.conv("conv2", x, {.in_channels = kStemChannels, .out_channels = kStemChannels, .kernel = 3});
  x = builder.batch_norm("bn1", x, kStemChannels);
  x = builder.op(op::Relu, "relu", {x});
  std::int64_t channels = kStemChannels;
  for (int stage = 0; stage < kStages; ++stage) {
    const auto index = static_cast<std::size_t>(stage);
    const std::int64_t planes = std::int64_t{64} << stage;
    // Only a stage's first block can be 3x3: the authors' later blocks test
    // kernel3 <= i with i >= 1, which a 0/1 flag always passes.
    for (int block = 0; block < kBlocks[index]; ++block) {
      const std::int64_t kernel = block == 0 && flags[index] ? 3 : 1;
      const std::int64_t stride = block == 0 ? kStrides[index] : 1;
      x = bottleneck(builder, stage_path(stage, block), x, channels, planes, kernel, stride);
      channels = planes * kExpansion;
    }
  }
  return ladeda_head(builder, spec.options.at("pool") == "true", x, kFeatures);
}

void check_input(const ArchSpec& spec, const Shape& input) {
  check_ladeda_preprocess_input("ladeda", spec.options.at("preprocess"), input);
}

}  // namespace

ArchitectureDef ladeda_architecture() {
  ArchitectureDef def;
  def.name = "ladeda";
  OptionDef variant{"variant", variant_names(), "9", {}};
  variant.derive = derive_variant;
  // pool cannot be read off the weights (the keys are the same either way).
  // It defaults to false, as tiny_ladeda's does, although the authors'
  // constructor defaults to True: the teacher and its student then give the
  // same kind of output, a map of patch logits, under the same spec.
  def.options = {variant, {"preprocess", ladeda_preprocess_modes(), "NPR", {}}, {"pool", {"true", "false"}, "false", {}}};
  def.default_input = {1, 3, 256, 256};
  // LaDeDa5's receptive field; check_input holds each variant to its own.
  def.min_extent = 5;
  // The authors train teacher and student on the same normalized images.
  def.metadata = imagenet_normalization();
  def.check_input = check_input;
  def.build = build;
  return def;
}

}  // namespace edgeport
