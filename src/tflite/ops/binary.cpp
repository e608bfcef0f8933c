// IR Add / Sub / Mul <-> ADD / SUB / MUL (IntegerAdd -> int8 ADD). They broadcast like NumPy, so they
// run in whatever layout their operands already share.
#include "core/ops/binary.h"
#include "core/ops/integer.h"
#include "tflite/builtin_options.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/qdq_import.h"
#include "tflite/ops/fused_activation.h"
#include "tflite/ops/version_conditions.h"

namespace edgeport {
namespace {

namespace layout = tflite_layout;
using tflite::ActivationFunctionType;
using tflite::BuiltinOperator;
using tflite::BuiltinOptions;
using Perm = layout::Perm;

TfliteOptions binary_options(const std::string& ir_op, ActivationFunctionType activation) {
  if (ir_op == op::Add || ir_op == op::IntegerAdd) {
    return builtin_options(BuiltinOptions::AddOptions,
                           [=](auto& fbb) { return tflite::CreateAddOptions(fbb, activation); });
  }
  if (ir_op == op::Sub) {
    return builtin_options(BuiltinOptions::SubOptions,
                           [=](auto& fbb) { return tflite::CreateSubOptions(fbb, activation); });
  }
  return builtin_options(BuiltinOptions::MulOptions,
                         [=](auto& fbb) { return tflite::CreateMulOptions(fbb, activation); });
}

BuiltinOperator binary_code(const std::string& ir_op) {
  if (ir_op == op::Add || ir_op == op::IntegerAdd) return BuiltinOperator::ADD;
  return ir_op == op::Sub ? BuiltinOperator::SUB : BuiltinOperator::MUL;
}

void lower_binary(LoweringContext& context, const Node& node) {
  const FusedActivation fused = fuse_activation(context, node);
  const std::size_t rank = context.graph.value(fused.output).shape.size();
  const Perm perm = context.shared_perm(node.inputs, rank);
  const int a = context.broadcast_operand(node.inputs.at(0), rank, perm);
  const int b = context.broadcast_operand(node.inputs.at(1), rank, perm);
  const int y = context.define(fused.output, perm);
  context.builder.add_operator(binary_code(node.op), {a, b}, {y}, binary_options(node.op, fused.function));
}

ActivationFunctionType imported_activation(const tflite::Operator& op) {
  if (const auto* add = op.builtin_options_as_AddOptions()) return add->fused_activation_function();
  if (const auto* sub = op.builtin_options_as_SubOptions()) return sub->fused_activation_function();
  if (const auto* mul = op.builtin_options_as_MulOptions()) return mul->fused_activation_function();
  return ActivationFunctionType::NONE;
}

// An int8 ADD reads back as its QDQ form (qdq_import.h).
void import_int8_add(OperatorSite& site) {
  const Perm perm = site.context.natural_perm(site.input(0));
  std::vector<int> operands;
  for (std::size_t i = 0; i < 2; ++i) {
    const int tensor = site.input(i);
    if (site.model().dtype(tensor) != DType::Int8 || site.shape(tensor) != site.shape(site.output())) {
      site.fail(site.model().tensor_label(tensor) + ": an int8 ADD is read only between int8 tensors of one shape");
    }
    operands.push_back(dequantize_int8_operand(site, tensor, site.context.value_in(tensor, perm)));
  }
  Attributes attrs;
  attrs.set("activation", activation_attribute(site, imported_activation(site.op())));
  const int sum = site.context.add_node(op::Add, site.output(), "_float", operands, std::move(attrs));
  hold_quantized_output(site, sum, perm);
}

void import_binary(OperatorSite& site, const std::string& ir_op) {
  site.expect_counts(2, 2);
  if (ir_op == op::Add && site.model().dtype(site.input(0)) == DType::Int8) {
    import_int8_add(site);
    return;
  }
  const std::size_t rank = site.rank(site.output());
  // The layout of the first full-rank activation operand.
  Perm perm = layout::identity(rank);
  for (std::size_t i = 0; i < 2; ++i) {
    const int tensor = site.input(i);
    site.expect_float(tensor);
    if (!site.model().is_constant(tensor) && !site.context.is_deferred(tensor) && site.rank(tensor) == rank) {
      perm = site.context.natural_perm(tensor);
      break;
    }
  }
  const int a = site.context.broadcast_operand(site.input(0), rank, perm);
  const int b = site.context.broadcast_operand(site.input(1), rank, perm);
  Attributes attrs;
  attrs.set("activation", activation_attribute(site, imported_activation(site.op())));
  const int y = site.context.add_node(ir_op, site.output(), "", {a, b}, std::move(attrs));
  site.context.hold(site.output(), y, perm);
}

int sub_version(const TfliteVersionQuery& query) {
  const TfliteTensorSpec* a = query.input(0);
  const TfliteTensorSpec* b = query.input(1);
  const bool broadcast = a && b && a->shape != b->shape;
  if (broadcast && (rank_of(a) > 4 || rank_of(b) > 4)) return 3;
  return int8_version(query);
}

const TfliteLoweringRegistration lowering({op::Add, op::Sub, op::Mul, op::IntegerAdd}, lower_binary);
const TfliteImportRegistration add_import({BuiltinOperator::ADD}, {op::Add},
                                          [](OperatorSite& site) { import_binary(site, op::Add); });
const TfliteImportRegistration sub_import({BuiltinOperator::SUB}, {op::Sub},
                                          [](OperatorSite& site) { import_binary(site, op::Sub); });
const TfliteImportRegistration mul_import({BuiltinOperator::MUL}, {op::Mul},
                                          [](OperatorSite& site) { import_binary(site, op::Mul); });
const TfliteVersionRegistration add_mul_rule({BuiltinOperator::ADD, BuiltinOperator::MUL}, int8_version);
const TfliteVersionRegistration sub_rule({BuiltinOperator::SUB}, sub_version);

}  // namespace
}  // namespace edgeport
