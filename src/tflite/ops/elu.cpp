// IR Elu <-> ELU. TFLite's ELU has no options: its alpha is always 1, so an
// Elu with another alpha is refused rather than written with the wrong slope.
// Element-wise, so it keeps the layout its input has.
#include "core/ops/elu.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/version_conditions.h"

namespace edgeport {
namespace {

using tflite::BuiltinOperator;
using Perm = tflite_layout::Perm;

void lower_elu(LoweringContext& context, const Node& node) {
  const double alpha = node.attrs.get_float("alpha", 1.0);
  if (alpha != 1.0) {
    fail_lowering(node, "Elu with alpha " + std::to_string(alpha) + " cannot be written: TFLite's ELU fixes alpha at 1");
  }
  const Perm perm = context.natural_perm(node.inputs.at(0));
  const int x = context.tensor_for(node.inputs[0], perm);
  const int y = context.define(node.outputs.at(0), perm);
  context.builder.add_operator(BuiltinOperator::ELU, {x}, {y});
}

void import_elu(OperatorSite& site) {
  site.expect_counts(1, 1);
  site.expect_float(site.input(0));
  const Perm perm = site.context.natural_perm(site.input(0));
  const int y = site.context.add_node(op::Elu, site.output(), "", {site.context.value_in(site.input(0), perm)});
  site.context.hold(site.output(), y, perm);
}

const TfliteLoweringRegistration lowering({op::Elu}, lower_elu);
const TfliteImportRegistration import({BuiltinOperator::ELU}, {op::Elu}, import_elu);
const TfliteVersionRegistration version({BuiltinOperator::ELU}, int8_version);

}  // namespace
}  // namespace edgeport
