// IR BatchNorm -> a per-channel MUL and ADD: TFLite has no batch norm, and
// converters fold it away or write it this way.
#include "core/ops/batch_norm.h"
#include "core/batch_norm_affine.h"
#include "tflite/builtin_options.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/fused_activation.h"

namespace edgeport {
namespace {

namespace layout = tflite_layout;
using tflite::BuiltinOperator;
using tflite::BuiltinOptions;
using Perm = layout::Perm;

// One float32 entry per channel, broadcastable over an input of `rank` axes.
Tensor channel_constant(const std::vector<double>& values, std::size_t rank) {
  Shape broadcast(rank, 1);
  broadcast[1] = static_cast<std::int64_t>(values.size());
  Tensor tensor(DType::Float32, broadcast);
  for (std::size_t c = 0; c < values.size(); ++c) tensor.data<float>()[c] = static_cast<float>(values[c]);
  return tensor;
}

void lower_batch_norm(LoweringContext& context, const Node& node) {
  const Graph& graph = context.graph;
  for (std::size_t i = 1; i < 5; ++i) {
    if (!graph.is_constant(node.inputs.at(i))) fail_lowering(node, "statistics must be constants");
  }
  const Shape& input = graph.value(node.inputs[0]).shape;
  const ChannelAffine<double> affine = batch_norm_affine<double>(graph, node);
  const FusedActivation fused = fuse_activation(context, node);
  const Perm perm = context.natural_perm(node.inputs[0]);
  const int x = context.tensor_for(node.inputs[0], perm);
  const int scale = context.constant(node.name + "/scale",
                                     layout::permute_tensor(channel_constant(affine.scale, input.size()), perm));
  const int shift = context.constant(node.name + "/shift",
                                     layout::permute_tensor(channel_constant(affine.shift, input.size()), perm));
  const int scaled =
      context.scratch(node.name + "/scaled", tflite::TensorType::FLOAT32, layout::permute_shape(input, perm));
  const int y = context.define(fused.output, perm);
  const tflite::ActivationFunctionType activation = fused.function;
  context.builder.add_operator(
      BuiltinOperator::MUL, {x, scale}, {scaled},
      builtin_options(BuiltinOptions::MulOptions, [](auto& fbb) { return tflite::CreateMulOptions(fbb); }));
  context.builder.add_operator(BuiltinOperator::ADD, {scaled, shift}, {y},
                               builtin_options(BuiltinOptions::AddOptions,
                                               [=](auto& fbb) { return tflite::CreateAddOptions(fbb, activation); }));
}

const TfliteLoweringRegistration lowering({op::BatchNorm}, lower_batch_norm);
const TfliteImportRefusal import_refusal(
    {op::BatchNorm}, "TFLite has no batch norm; the writer emits MUL and ADD, read back as Mul and Add");

}  // namespace
}  // namespace edgeport
