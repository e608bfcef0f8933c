// IR Relu / Relu6 / Sigmoid / HardSwish <-> RELU / RELU6 / LOGISTIC /
// HARD_SWISH: element-wise, so they keep the layout their input has.
#include <map>

#include "core/ops/unary.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/version_conditions.h"

namespace edgeport {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;
using Perm = tflite_layout::Perm;

void lower_unary(LoweringContext& context, const Node& node) {
  static const std::map<std::string, BuiltinOperator> codes = {{op::Relu, BuiltinOperator::RELU},
                                                               {op::Relu6, BuiltinOperator::RELU6},
                                                               {op::Sigmoid, BuiltinOperator::LOGISTIC},
                                                               {op::HardSwish, BuiltinOperator::HARD_SWISH}};
  const Perm perm = context.natural_perm(node.inputs.at(0));
  const int x = context.tensor_for(node.inputs[0], perm);
  const int y = context.define(node.outputs.at(0), perm);
  context.builder.add_operator(codes.at(node.op), {x}, {y});
}

void import_unary(OperatorSite& site, const std::string& ir_op) {
  site.expect_counts(1, 1);
  site.expect_float(site.input(0));
  const Perm perm = site.context.natural_perm(site.input(0));
  const int y = site.context.add_node(ir_op, site.output(), "", {site.context.value_in(site.input(0), perm)});
  site.context.hold(site.output(), y, perm);
}

int relu_version(const TfliteVersionQuery& query) {
  if (is(query.input(0), TensorType::INT16)) return 3;
  return is(query.input(0), TensorType::INT8) || is(query.input(0), TensorType::UINT8) ? 2 : 1;
}

const TfliteLoweringRegistration lowering({op::Relu, op::Relu6, op::Sigmoid, op::HardSwish}, lower_unary);
const TfliteImportRegistration relu_import({BuiltinOperator::RELU}, {op::Relu},
                                           [](OperatorSite& site) { import_unary(site, op::Relu); });
const TfliteImportRegistration relu6_import({BuiltinOperator::RELU6}, {op::Relu6},
                                            [](OperatorSite& site) { import_unary(site, op::Relu6); });
const TfliteImportRegistration logistic_import({BuiltinOperator::LOGISTIC}, {op::Sigmoid},
                                               [](OperatorSite& site) { import_unary(site, op::Sigmoid); });
const TfliteImportRegistration hard_swish_import({BuiltinOperator::HARD_SWISH}, {op::HardSwish},
                                                 [](OperatorSite& site) { import_unary(site, op::HardSwish); });
const TfliteVersionRegistration relu_rule({BuiltinOperator::RELU}, relu_version);
const TfliteVersionRegistration relu6_rule({BuiltinOperator::RELU6}, int16_int8_version);
const TfliteVersionRegistration logistic_rule({BuiltinOperator::LOGISTIC}, int8_version);

}  // namespace
}  // namespace edgeport
