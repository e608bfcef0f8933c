// IR Transpose <-> TRANSPOSE. Both only relabel which tensor axis holds which
// IR axis; data moves when a reader needs another layout.
#include "core/ops/transpose.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/version_conditions.h"

namespace edgeport {
namespace {

namespace layout = tflite_layout;
using tflite::TensorType;
using Perm = layout::Perm;

void lower_transpose(LoweringContext& context, const Node& node) {
  const int input = node.inputs.at(0);
  const std::vector<std::int64_t> attribute = node.attrs.get_ints("perm");
  const Perm transpose(attribute.begin(), attribute.end());
  const Perm held = context.natural_perm(input);
  const int tensor = context.tensor_for(input, held);
  context.alias(node.outputs.at(0), tensor, layout::compose(layout::inverse(transpose), held));
}

void import_transpose(OperatorSite& site) {
  site.expect_counts(2, 2);
  const int x_tensor = site.input(0);
  const std::vector<std::int64_t> values = site.integers(site.input(1));
  const Perm transpose(values.begin(), values.end());
  layout::check_permutation(transpose, site.rank(x_tensor), site.model().operator_label(site.index) + " perm");
  const Perm held = site.context.natural_perm(x_tensor);
  const int x = site.context.value_in(x_tensor, held);
  site.context.hold(site.output(), x, layout::compose(held, transpose));
}

// Also the rule of the TRANSPOSE the lowering context emits to change layouts.
int transpose_version(const TfliteVersionQuery& query) {
  const TfliteTensorSpec* input = query.input(0);
  if (rank_of(input) > 5) return 6;
  if (is(input, TensorType::INT16)) return 5;
  if (rank_of(input) > 4) return 4;
  if (is(input, TensorType::BOOL)) return 3;
  return int8_version(query);
}

const TfliteLoweringRegistration lowering({op::Transpose}, lower_transpose);
// The relabelled value becomes an IR Transpose where a reader needs the
// axes in another order (ImportContext::value_in).
const TfliteImportRegistration import({tflite::BuiltinOperator::TRANSPOSE}, {op::Transpose}, import_transpose);
const TfliteVersionRegistration rule({tflite::BuiltinOperator::TRANSPOSE}, transpose_version);

}  // namespace
}  // namespace edgeport
