// IR Mean and GlobalAveragePool -> MEAN over the axes where the input's
// tensor holds them; MEAN -> IR Mean.
#include <algorithm>

#include "core/ops/integer.h"
#include "core/ops/mean.h"
#include "tflite/builtin_options.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/qdq_import.h"
#include "tflite/ops/version_conditions.h"

namespace edgeport {
namespace {

namespace layout = tflite_layout;
using tflite::BuiltinOperator;
using Perm = layout::Perm;

void emit_mean(LoweringContext& context, const Node& node, const std::vector<std::int64_t>& axes, bool keepdims) {
  const int input = node.inputs.at(0);
  const auto rank = static_cast<std::int64_t>(context.graph.value(input).shape.size());
  std::vector<int> reduced;
  for (std::int64_t axis : axes) {
    const std::int64_t normalized = axis < 0 ? axis + rank : axis;
    if (std::find(reduced.begin(), reduced.end(), normalized) == reduced.end()) {
      reduced.push_back(static_cast<int>(normalized));
    }
  }
  const Perm perm = context.natural_perm(input);
  const int x = context.tensor_for(input, perm);
  std::vector<std::int64_t> tflite_axes;
  for (int axis : reduced) tflite_axes.push_back(layout::position_of(perm, axis));
  std::sort(tflite_axes.begin(), tflite_axes.end());
  const int axes_tensor = context.int32_constant(node.name + "/axes", tflite_axes);
  const int y = context.define(node.outputs.at(0), keepdims ? perm : layout::surviving_perm(perm, reduced));
  context.builder.add_operator(BuiltinOperator::MEAN, {x, axes_tensor}, {y},
                               builtin_options(tflite::BuiltinOptions::ReducerOptions,
                                               [=](auto& fbb) { return tflite::CreateReducerOptions(fbb, keepdims); }));
}

void lower_mean(LoweringContext& context, const Node& node) {
  emit_mean(context, node, node.attrs.get_ints("axes"), node.attrs.get_int("keepdims", 1) != 0);
}

// GlobalAveragePool, and IntegerMean as int8 MEAN over H and W keeping its
// dims (the form TFLite Micro's integer kernel takes).
void lower_global_average_pool(LoweringContext& context, const Node& node) { emit_mean(context, node, {2, 3}, true); }

void import_mean(OperatorSite& site) {
  site.expect_counts(2, 2);
  const int x_tensor = site.input(0);
  const bool int8 = site.model().dtype(x_tensor) == DType::Int8;
  if (!int8) site.expect_float(x_tensor);
  const auto rank = static_cast<std::int64_t>(site.rank(x_tensor));
  const auto* options = site.op().builtin_options_as_ReducerOptions();
  const bool keep_dims = options && options->keep_dims();
  const Perm perm = site.context.natural_perm(x_tensor);
  std::vector<int> reduced;
  for (std::int64_t axis : site.integers(site.input(1))) {
    if (axis < -rank || axis >= rank) site.fail("axis " + std::to_string(axis) + " is out of range");
    const int ir_axis = perm[static_cast<std::size_t>(axis < 0 ? axis + rank : axis)];
    if (std::find(reduced.begin(), reduced.end(), ir_axis) == reduced.end()) reduced.push_back(ir_axis);
  }
  Attributes attrs;
  attrs.set("axes", std::vector<std::int64_t>(reduced.begin(), reduced.end()));
  attrs.set("keepdims", std::int64_t{keep_dims ? 1 : 0});
  const Perm output_perm = keep_dims ? perm : layout::surviving_perm(perm, reduced);
  int x = site.context.value_in(x_tensor, perm);
  if (!int8) {
    site.context.hold(site.output(), site.context.add_node(op::Mean, site.output(), "", {x}, std::move(attrs)),
                      output_perm);
    return;
  }
  // An int8 MEAN reads back as its QDQ form (qdq_import.h).
  if (site.model().dtype(site.output()) != DType::Int8) site.fail("an int8 MEAN must write int8");
  x = dequantize_int8_operand(site, x_tensor, x);
  const int mean = site.context.add_node(op::Mean, site.output(), "_float", {x}, std::move(attrs));
  hold_quantized_output(site, mean, output_perm);
}

const TfliteLoweringRegistration mean_lowering({op::Mean}, lower_mean);
const TfliteLoweringRegistration global_average_pool_lowering({op::GlobalAveragePool, op::IntegerMean},
                                                              lower_global_average_pool);
const TfliteImportRegistration import({BuiltinOperator::MEAN}, {op::Mean}, import_mean);
const TfliteImportRefusal global_average_pool_refusal(
    {op::GlobalAveragePool},
    "TFLite has no global average pool; the writer emits MEAN over H and W, read back as Mean");
const TfliteVersionRegistration rule({BuiltinOperator::MEAN}, int16_int8_version);

}  // namespace
}  // namespace edgeport
