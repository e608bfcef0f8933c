// IR Reshape and Flatten -> RESHAPE of a tensor whose element order is the
// IR's row-major order; RESHAPE -> IR Reshape.
#include "core/ops/reshape.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"

namespace edgeport {
namespace {

namespace layout = tflite_layout;
using Perm = layout::Perm;

void lower_reshape(LoweringContext& context, const Node& node) {
  const auto [x, x_perm] = context.order_keeping_tensor(node.inputs.at(0));
  const Shape& output_shape = context.graph.value(node.outputs.at(0)).shape;
  // An NHWC result costs nothing when it has the same element order, and
  // spares the spatial ops after it a conversion.
  const Perm perm = output_shape.size() == 4 && layout::keeps_element_order(output_shape, layout::nhwc())
                        ? layout::nhwc()
                        : layout::identity(output_shape.size());
  context.emit_reshape(x, context.define(node.outputs[0], perm), node.name);
}

void import_reshape(OperatorSite& site) {
  site.expect_counts(1, 2);
  const Shape output = site.shape(site.output());
  if (shape_numel(output) != shape_numel(site.shape(site.input(0)))) {
    site.fail("cannot reshape " + shape_to_string(site.shape(site.input(0))) + " to " + shape_to_string(output));
  }
  Attributes attrs;
  attrs.set("shape", std::vector<std::int64_t>(output.begin(), output.end()));
  const int y = site.context.add_node(op::Reshape, site.output(), "", {site.context.order_keeping_value(site.input(0))},
                                      std::move(attrs));
  site.context.hold(site.output(), y, layout::identity(output.size()));
}

const TfliteLoweringRegistration lowering({op::Reshape, op::Flatten}, lower_reshape);
const TfliteImportRegistration import({tflite::BuiltinOperator::RESHAPE}, {op::Reshape}, import_reshape);
const TfliteImportRefusal flatten_refusal({op::Flatten},
                                          "TFLite has no flatten; the writer emits RESHAPE, read back as Reshape");

}  // namespace
}  // namespace edgeport
