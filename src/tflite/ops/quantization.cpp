// IR Dequantize <-> DEQUANTIZE and IR Quantize <-> QUANTIZE. A Dequantize of
// a constant weight is written and read where its reader needs it, in the
// layout that reader needs.
#include "core/ops/quantization.h"
#include "tflite/builtin_options.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/version_conditions.h"

namespace edgeport {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;
using Perm = tflite_layout::Perm;

void lower_dequantize(LoweringContext& context, const Node& node) {
  // See LoweringContext::tensor_for.
  if (context.graph.is_constant(node.inputs.at(0))) return;
  const Perm perm = context.natural_perm(node.inputs[0]);
  const int x = context.tensor_for(node.inputs[0], perm);
  context.emit_dequantize(x, context.define(node.outputs.at(0), perm));
}

void lower_quantize(LoweringContext& context, const Node& node) {
  if (!context.graph.value(node.outputs.at(0)).quant) fail_lowering(node, "output has no quantization parameters");
  const Perm perm = context.natural_perm(node.inputs.at(0));
  const int x = context.tensor_for(node.inputs[0], perm);
  const int y = context.define(node.outputs[0], perm);
  context.builder.add_operator(BuiltinOperator::QUANTIZE, {x}, {y},
                               builtin_options(tflite::BuiltinOptions::QuantizeOptions,
                                               [](auto& fbb) { return tflite::CreateQuantizeOptions(fbb); }));
}

bool is_quantized_int8(const OperatorSite& site, int tensor) {
  const DType type = site.model().dtype(tensor);
  return (type == DType::Int8 || type == DType::UInt8) && site.model().quantization(tensor);
}

void import_dequantize(OperatorSite& site) {
  site.expect_counts(1, 1);
  const int source = site.input(0);
  if (site.model().is_constant(source)) {
    if (site.model().dtype(source) != DType::Float16 && !is_quantized_int8(site, source)) {
      site.fail(site.model().tensor_label(source) + " is not float16 or quantized int8/uint8");
    }
    site.model().constant(source);
    if (site.shape(source) != site.shape(site.output())) site.fail("input and output shapes differ");
    // See ImportContext::value_in.
    site.context.defer_dequantize(site.output(), source);
    return;
  }
  if (!is_quantized_int8(site, source)) {
    site.fail(site.model().tensor_label(source) + " is not a quantized int8/uint8 tensor");
  }
  const Perm perm = site.context.natural_perm(source);
  const int y = site.context.add_node(op::Dequantize, site.output(), "", {site.context.value_in(source, perm)});
  site.context.hold(site.output(), y, perm);
}

void import_quantize(OperatorSite& site) {
  site.expect_counts(1, 1);
  // A quantized input makes it a requantization (a uint8 interface in front
  // of int8 codes, or behind them).
  if (!is_quantized_int8(site, site.input(0))) site.expect_float(site.input(0));
  if (!is_quantized_int8(site, site.output())) {
    site.fail(site.model().tensor_label(site.output()) + " is not a quantized int8/uint8 tensor");
  }
  const DType type = site.model().dtype(site.output());
  std::optional<QuantParams> quant = site.model().quantization(site.output());
  const Perm perm = site.context.natural_perm(site.input(0));
  if (quant->per_channel()) quant->axis = perm[static_cast<std::size_t>(quant->axis)];
  Attributes attrs;
  attrs.set("dtype", std::string(type == DType::Int8 ? "int8" : "uint8"));
  const int y = site.context.add_node(op::Quantize, site.output(), "", {site.context.value_in(site.input(0), perm)},
                                      std::move(attrs));
  site.context.graph.value(y).quant = quant;
  site.context.hold(site.output(), y, perm);
}

// Also the rule of the DEQUANTIZE the lowering context emits for weights.
int dequantize_version(const TfliteVersionQuery& query) {
  const TfliteTensorSpec* input = query.input(0);
  if (is(input, TensorType::INT16) || is(input, TensorType::FLOAT16)) return 3;
  if (!is(input, TensorType::INT8)) return 1;
  const int dimension = input->quant ? input->quant->axis : 0;
  return has_scales_along(input, static_cast<std::size_t>(dimension < 0 ? 0 : dimension), true) ? 5 : 2;
}

int quantize_version(const TfliteVersionQuery& query) {
  const TfliteTensorSpec* output = query.output(0);
  if (output && output->quant) {
    const int dimension = output->quant->axis < 0 ? 0 : output->quant->axis;
    if (has_scales_along(output, static_cast<std::size_t>(dimension), true)) return 3;
  }
  return is(output, TensorType::INT16) ? 2 : 1;
}

const TfliteLoweringRegistration dequantize_lowering({op::Dequantize}, lower_dequantize);
const TfliteLoweringRegistration quantize_lowering({op::Quantize}, lower_quantize);
const TfliteImportRegistration dequantize_import({BuiltinOperator::DEQUANTIZE}, {op::Dequantize}, import_dequantize);
const TfliteImportRegistration quantize_import({BuiltinOperator::QUANTIZE}, {op::Quantize}, import_quantize);
const TfliteVersionRegistration dequantize_rule({BuiltinOperator::DEQUANTIZE}, dequantize_version);
const TfliteVersionRegistration quantize_rule({BuiltinOperator::QUANTIZE}, quantize_version);

}  // namespace
}  // namespace edgeport
