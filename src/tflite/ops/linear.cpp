// IR Linear <-> FULLY_CONNECTED, whose [out, in] filter is the IR weight as is
// (IntegerLinear -> int8 FULLY_CONNECTED).
#include "core/ops/integer.h"
#include "core/ops/quantization.h"
#include "core/ops/linear.h"
#include "core/ops/reshape.h"
#include "tflite/builtin_options.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/filter_import.h"
#include "tflite/ops/fused_activation.h"
#include "tflite/ops/integer_bias.h"
#include "tflite/ops/qdq_import.h"
#include "tflite/ops/version_conditions.h"

namespace edgeport {
namespace {

namespace layout = tflite_layout;
using tflite::BuiltinOperator;

void lower_linear(LoweringContext& context, const Node& node) {
  const Graph& graph = context.graph;
  const std::size_t rank = graph.value(node.inputs.at(0)).shape.size();
  const Shape& weight = graph.value(node.inputs.at(1)).shape;
  const FusedActivation fused = fuse_activation(context, node);
  const int x = context.tensor_for(node.inputs[0], layout::identity(rank));
  const LoweringContext::Weight filter = context.weight(node, node.inputs[1], {0, 1}, 0);
  const int bias = context.bias(node, node.inputs.size() > 2 ? node.inputs[2] : kNoValue, weight[0]);
  const int y = context.define(fused.output, layout::identity(rank));
  // FULLY_CONNECTED flattens its input to 2-d unless told to keep the axes.
  const bool keep_num_dims = rank != 2;
  const bool asymmetric = filter.hybrid;
  const tflite::ActivationFunctionType activation = fused.function;
  TfliteOptionFacts facts;
  facts.keep_num_dims = keep_num_dims;
  facts.asymmetric_quantize_inputs = asymmetric;
  context.builder.add_operator(BuiltinOperator::FULLY_CONNECTED, {x, filter.tensor, bias}, {y},
                               builtin_options(
                                   tflite::BuiltinOptions::FullyConnectedOptions,
                                   [=](auto& fbb) {
                                     return tflite::CreateFullyConnectedOptions(
                                         fbb, activation, tflite::FullyConnectedOptionsWeightsFormat::DEFAULT,
                                         keep_num_dims, asymmetric);
                                   },
                                   facts));
}

// IntegerLinear (the int8 form of a QDQ Linear) -> int8 FULLY_CONNECTED: int8
// input and output carrying their parameters, the int8 [out, in] filter with
// one scale per output feature, an int32 bias.
void lower_integer_linear(LoweringContext& context, const Node& node) {
  const Graph& graph = context.graph;
  const std::size_t rank = graph.value(node.inputs.at(0)).shape.size();
  const Tensor& filter = graph.constant(node.inputs.at(1));
  const FusedActivation fused = fuse_activation(context, node);
  const int x = context.tensor_for(node.inputs[0], layout::identity(rank));
  const std::string& weight_name = graph.value(node.inputs[1]).name;
  const int filter_tensor = context.constant(weight_name, filter);
  const int bias = context.constant(weight_name + "/bias", integer_bias(graph, node, filter));
  const int y = context.define(fused.output, layout::identity(rank));
  const bool keep_num_dims = rank != 2;
  const tflite::ActivationFunctionType activation = fused.function;
  TfliteOptionFacts facts;
  facts.keep_num_dims = keep_num_dims;
  context.builder.add_operator(BuiltinOperator::FULLY_CONNECTED, {x, filter_tensor, bias}, {y},
                               builtin_options(
                                   tflite::BuiltinOptions::FullyConnectedOptions,
                                   [=](auto& fbb) {
                                     return tflite::CreateFullyConnectedOptions(
                                         fbb, activation, tflite::FullyConnectedOptionsWeightsFormat::DEFAULT,
                                         keep_num_dims, false);
                                   },
                                   facts));
}

// FULLY_CONNECTED reads any input as [elements / in_features, in_features]
// unless it keeps the input's axes.
int import_rows(OperatorSite& site, int x_tensor, std::int64_t in_features, bool keep_num_dims) {
  const Shape x = site.shape(x_tensor);
  if (x.empty() || in_features <= 0 || shape_numel(x) % in_features != 0) {
    site.fail("input " + shape_to_string(x) + " does not fit filter " + shape_to_string(site.shape(site.input(1))));
  }
  if (keep_num_dims || (x.size() == 2 && x[1] == in_features)) {
    return site.context.value_in(x_tensor, layout::identity(x.size()));
  }
  Attributes flatten;
  flatten.set("shape", std::vector<std::int64_t>{shape_numel(x) / in_features, in_features});
  return site.context.add_node(op::Reshape, site.output(), "_input_rows", {site.context.order_keeping_value(x_tensor)},
                               std::move(flatten));
}

// An int8 FULLY_CONNECTED reads back as its QDQ form (qdq_import.h).
void import_int8_fully_connected(OperatorSite& site, Attributes attrs, bool keep_num_dims) {
  const int x_tensor = site.input(0);
  const int filter_tensor = site.input(1);
  if (site.model().dtype(filter_tensor) != DType::Int8) site.fail(site.model().tensor_label(filter_tensor) + " is not int8");
  const int x_codes = import_rows(site, x_tensor, site.shape(filter_tensor)[1], keep_num_dims);
  std::vector<int> inputs{dequantize_int8_operand(site, x_tensor, x_codes)};
  const int filter = site.context.filter_value(filter_tensor, {0, 1}, 0);
  inputs.push_back(site.context.add_node(op::Dequantize, filter_tensor, "_dequantized", {filter}));
  append_dequantized_bias(site, inputs);
  const int sums = site.context.add_node(op::Linear, site.output(), "_float", inputs, std::move(attrs));
  hold_quantized_output(site, sums, layout::identity(site.rank(site.output())));
}

void import_fully_connected(OperatorSite& site) {
  site.expect_counts(2, 3);
  const int x_tensor = site.input(0);
  const int filter_tensor = site.input(1);
  const bool int8 = site.model().dtype(x_tensor) == DType::Int8;
  if (!int8) site.expect_float(x_tensor);
  site.expect_rank(filter_tensor, 2);
  const tflite::FullyConnectedOptions* options = site.op().builtin_options_as_FullyConnectedOptions();
  if (options && options->weights_format() != tflite::FullyConnectedOptionsWeightsFormat::DEFAULT) {
    site.fail("has shuffled weights, which are not supported");
  }
  Attributes attrs;
  attrs.set("activation", activation_attribute(site, options ? options->fused_activation_function()
                                                             : tflite::ActivationFunctionType::NONE));
  if (int8) {
    import_int8_fully_connected(site, std::move(attrs), options && options->keep_num_dims());
    return;
  }
  const int x_value = import_rows(site, x_tensor, site.shape(filter_tensor)[1], options && options->keep_num_dims());
  const ImportedFilter weight = import_filter(site, filter_tensor, {0, 1}, 0);
  const std::vector<int> inputs = weighted_op_inputs(site, x_value, weight, attrs);
  const int y = site.context.add_node(op::Linear, site.output(), "", inputs, std::move(attrs));
  site.context.hold(site.output(), y, layout::identity(site.rank(site.output())));
}

int fully_connected_version(const TfliteVersionQuery& query) {
  if (is_hybrid(query) && has_scales_along(query.input(1), 0, true)) return 12;
  // int8 with one scale per output feature: TFLite's per-channel FULLY_CONNECTED.
  if (is_all_int8(query) && has_scales_along(query.input(1), 0, false)) return 12;
  if (query.inputs.size() == 2) return 6;
  if (query.facts.keep_num_dims) return 5;
  if (is_all_int8(query)) return 4;
  if (is_hybrid(query)) return query.facts.asymmetric_quantize_inputs ? 9 : 3;
  return 1;
}

const TfliteLoweringRegistration lowering({op::Linear}, lower_linear);
const TfliteLoweringRegistration integer_lowering({op::IntegerLinear}, lower_integer_linear);
// Inputs of other ranks are first reshaped to rows.
const TfliteImportRegistration import({BuiltinOperator::FULLY_CONNECTED}, {op::Linear, op::Reshape},
                                      import_fully_connected);
const TfliteVersionRegistration version({BuiltinOperator::FULLY_CONNECTED}, fully_connected_version);

}  // namespace
}  // namespace edgeport
