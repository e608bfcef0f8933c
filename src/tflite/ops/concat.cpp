// IR Concat <-> CONCATENATION along the tensor axis that holds the IR axis,
// in the layout most operands already share.
#include "core/ops/concat.h"
#include "core/ops/unary.h"
#include "tflite/builtin_options.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/fused_activation.h"
#include "tflite/ops/version_conditions.h"

namespace edgeport {
namespace {

namespace layout = tflite_layout;
using tflite::BuiltinOperator;
using Perm = layout::Perm;

void lower_concat(LoweringContext& context, const Node& node) {
  const FusedActivation fused = fuse_activation(context, node);
  const auto rank = static_cast<std::int64_t>(context.graph.value(fused.output).shape.size());
  std::int64_t axis = node.attrs.get_int("axis");
  if (axis < 0) axis += rank;
  const Perm perm = context.shared_perm(node.inputs, static_cast<std::size_t>(rank));
  std::vector<int> inputs;
  for (int operand : node.inputs) inputs.push_back(context.tensor_for(operand, perm));
  const int y = context.define(fused.output, perm);
  const std::int32_t tflite_axis = layout::position_of(perm, static_cast<int>(axis));
  const tflite::ActivationFunctionType activation = fused.function;
  context.builder.add_operator(BuiltinOperator::CONCATENATION, inputs, {y},
                               builtin_options(tflite::BuiltinOptions::ConcatenationOptions, [=](auto& fbb) {
                                 return tflite::CreateConcatenationOptions(fbb, tflite_axis, activation);
                               }));
}

void import_concatenation(OperatorSite& site) {
  if (site.inputs.empty() || site.outputs.size() != 1) site.fail("needs inputs and one output");
  const auto& options = site.options(site.op().builtin_options_as_ConcatenationOptions(), "ConcatenationOptions");
  const auto rank = static_cast<std::int64_t>(site.rank(site.output()));
  std::int64_t axis = options.axis();
  if (axis < -rank || axis >= rank) site.fail("axis " + std::to_string(axis) + " is out of range");
  if (axis < 0) axis += rank;
  // The layout of the first activation operand.
  Perm perm = layout::identity(static_cast<std::size_t>(rank));
  for (int tensor : site.inputs) {
    if (tensor < 0) site.fail("an input is missing");
    if (!site.model().is_constant(tensor) && !site.context.is_deferred(tensor)) {
      perm = site.context.natural_perm(tensor);
      break;
    }
  }
  std::vector<int> values;
  for (int tensor : site.inputs) values.push_back(site.context.value_in(tensor, perm));
  Attributes attrs;
  attrs.set("axis", std::int64_t{perm[static_cast<std::size_t>(axis)]});
  const tflite::ActivationFunctionType activation = options.fused_activation_function();
  const int joined =
      site.context.add_node(op::Concat, site.output(), node_suffix_before(site, activation), values, std::move(attrs));
  site.context.hold(site.output(), apply_activation(site, joined, activation), perm);
}

const TfliteLoweringRegistration lowering({op::Concat}, lower_concat);
// A fused activation becomes a Relu / Relu6 after the Concat.
const TfliteImportRegistration import({BuiltinOperator::CONCATENATION}, {op::Concat, op::Relu, op::Relu6},
                                      import_concatenation);
const TfliteVersionRegistration rule({BuiltinOperator::CONCATENATION}, int8_version);

}  // namespace
}  // namespace edgeport
