// IR Pad <-> PAD (zeros) or PADV2 (another value), with the paddings listed
// in the order the input tensor holds its axes.
#include "core/ops/pad.h"
#include "tflite/builtin_options.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/pad_operator.h"
#include "tflite/ops/version_conditions.h"

namespace edgeport {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;
using Perm = tflite_layout::Perm;

// An int8 Pad (of the integer lowering) pads with a code: TFLite's PAD fills
// quantized tensors with their zero point, PADV2 with an int8 constant
// carrying the input's parameters.
void emit_int8_pad(LoweringContext& context, const Node& node, int x, int paddings, int y, const Value& codes) {
  const double value = node.attrs.get_float("value", 0.0);
  if (!codes.quant || codes.quant->zero_point.size() != 1) fail_lowering(node, "int8 input without per-tensor parameters");
  if (value == codes.quant->zero_point[0]) {
    context.builder.add_operator(
        BuiltinOperator::PAD, {x, paddings}, {y},
        builtin_options(tflite::BuiltinOptions::PadOptions, [](auto& fbb) { return tflite::CreatePadOptions(fbb); }));
    return;
  }
  Tensor fill = Tensor::from_vector<std::int8_t>({}, {static_cast<std::int8_t>(value)});
  fill.quant = codes.quant;
  const int fill_tensor = context.constant(node.name + "/pad_value", fill);
  context.builder.add_operator(
      BuiltinOperator::PADV2, {x, paddings, fill_tensor}, {y},
      builtin_options(tflite::BuiltinOptions::PadV2Options, [](auto& fbb) { return tflite::CreatePadV2Options(fbb); }));
}

void lower_pad(LoweringContext& context, const Node& node) {
  const int input = node.inputs.at(0);
  const std::size_t rank = context.graph.value(input).shape.size();
  const std::vector<std::int64_t> pads = node.attrs.get_ints("pads");
  const auto value = static_cast<float>(node.attrs.get_float("value", 0.0));
  const Perm perm = context.natural_perm(input);
  const int x = context.tensor_for(input, perm);
  std::vector<std::int64_t> paddings;
  for (int axis : perm) {
    paddings.push_back(pads.at(static_cast<std::size_t>(axis)));
    paddings.push_back(pads.at(static_cast<std::size_t>(axis) + rank));
  }
  const int paddings_tensor =
      context.int32_constant(node.name + "/paddings", paddings, {static_cast<std::int64_t>(rank), 2});
  const int y = context.define(node.outputs.at(0), perm);
  const Value& codes = context.graph.value(input);
  if (codes.dtype == DType::Int8) {
    emit_int8_pad(context, node, x, paddings_tensor, y, codes);
    return;
  }
  emit_pad(context, x, paddings_tensor, y, value, node.name);
}

// PADV2's fill value, 0 for PAD.
float imported_fill(const OperatorSite& site, bool with_value) {
  if (!with_value || site.optional_input(2) < 0) return 0.0f;
  const Tensor value = site.model().constant(site.input(2));
  if (value.dtype() != DType::Float32 || value.numel() != 1) site.fail("pad value must be one float32");
  return value.data<float>()[0];
}

// The fill code of an int8 PAD (the input's zero point) or PADV2 (its int8
// constant).
double imported_int8_fill(const OperatorSite& site, bool with_value, const QuantParams& quant) {
  if (!with_value || site.optional_input(2) < 0) return quant.zero_point.at(0);
  const Tensor value = site.model().constant(site.input(2));
  if (value.dtype() != DType::Int8 || value.numel() != 1) site.fail("pad value of an int8 PADV2 must be one int8");
  return value.data<std::int8_t>()[0];
}

void import_pad(OperatorSite& site, bool with_value) {
  site.expect_counts(2, with_value ? 3 : 2);
  const int x_tensor = site.input(0);
  // An int8 pad reads as a Pad of the codes, filling with a code.
  const bool int8 = site.model().dtype(x_tensor) == DType::Int8;
  const std::optional<QuantParams> quant = int8 ? site.model().quantization(x_tensor) : std::nullopt;
  if (int8 && (!quant || quant->zero_point.size() != 1)) {
    site.fail(site.model().tensor_label(x_tensor) + " is int8 without per-tensor quantization parameters");
  }
  if (!int8) site.expect_float(x_tensor);
  const std::size_t rank = site.rank(x_tensor);
  const std::vector<std::int64_t> paddings = site.integers(site.input(1));
  if (paddings.size() != 2 * rank) site.fail("paddings do not have shape [" + std::to_string(rank) + ", 2]");
  const double fill = int8 ? imported_int8_fill(site, with_value, *quant) : imported_fill(site, with_value);
  const Perm perm = site.context.natural_perm(x_tensor);
  std::vector<std::int64_t> pads(2 * rank);
  for (std::size_t i = 0; i < rank; ++i) {
    if (paddings[2 * i] < 0 || paddings[2 * i + 1] < 0) site.fail("negative padding is not supported");
    pads[static_cast<std::size_t>(perm[i])] = paddings[2 * i];
    pads[static_cast<std::size_t>(perm[i]) + rank] = paddings[2 * i + 1];
  }
  Attributes attrs;
  attrs.set("pads", pads);
  attrs.set("value", fill);
  const int x = site.context.value_in(x_tensor, perm);
  if (int8 && !site.context.graph.value(x).quant) site.context.graph.value(x).quant = quant;
  const int y = site.context.add_node(op::Pad, site.output(), "", {x}, std::move(attrs));
  if (int8) site.context.graph.value(y).quant = site.model().quantization(site.output());
  site.context.hold(site.output(), y, perm);
}

int pad_version(const TfliteVersionQuery& query) {
  if (rank_of(query.input(0)) > 4) return 4;
  if (is(query.input(0), TensorType::INT16)) return 3;
  return int8_version(query);
}

const TfliteLoweringRegistration lowering({op::Pad}, lower_pad);
const TfliteImportRegistration pad_import({BuiltinOperator::PAD}, {op::Pad},
                                          [](OperatorSite& site) { import_pad(site, false); });
const TfliteImportRegistration padv2_import({BuiltinOperator::PADV2}, {op::Pad},
                                            [](OperatorSite& site) { import_pad(site, true); });
const TfliteVersionRegistration rule({BuiltinOperator::PAD, BuiltinOperator::PADV2}, pad_version);

}  // namespace
}  // namespace edgeport
