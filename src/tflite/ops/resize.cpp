// IR Resize (nearest) <-> RESIZE_NEAREST_NEIGHBOR over NHWC, written only
// where TFLite picks the same source pixels.
#include <cmath>

#include "core/ops/resize.h"
#include "tflite/builtin_options.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/version_conditions.h"

namespace edgeport {
namespace {

namespace layout = tflite_layout;
using tflite::BuiltinOperator;
using tflite::TensorType;

// TFLite picks source index floor(dst * (in / out)) in float, clamped; the IR
// may describe the same mapping by sizes or by scales. Only exact agreement is
// written.
void check_nearest_mapping(const Node& node, std::int64_t in, std::int64_t out, double scale) {
  const float tflite_scale = static_cast<float>(in) / static_cast<float>(out);
  for (std::int64_t dst = 0; dst < out; ++dst) {
    const auto tflite_source =
        std::min<std::int64_t>(static_cast<std::int64_t>(std::floor(static_cast<float>(dst) * tflite_scale)), in - 1);
    const std::int64_t ir_source =
        scale > 0
            ? std::min<std::int64_t>(static_cast<std::int64_t>(std::floor(static_cast<double>(dst) / scale)), in - 1)
            : dst * in / out;
    if (tflite_source != ir_source) {
      fail_lowering(node,
                    "its nearest-neighbour index mapping differs from TFLite's at output index " + std::to_string(dst));
    }
  }
}

void lower_resize(LoweringContext& context, const Node& node) {
  const Shape& input = context.graph.value(node.inputs.at(0)).shape;
  const Shape& output = context.graph.value(node.outputs.at(0)).shape;
  const std::vector<double> scales =
      node.attrs.has("sizes") ? std::vector<double>{0, 0} : node.attrs.get_floats("scales");
  check_nearest_mapping(node, input[2], output[2], scales[0]);
  check_nearest_mapping(node, input[3], output[3], scales[1]);
  const int x = context.tensor_for(node.inputs[0], layout::nhwc());
  const int size = context.int32_constant(node.name + "/size", {output[2], output[3]});
  const int y = context.define(node.outputs[0], layout::nhwc());
  context.builder.add_operator(BuiltinOperator::RESIZE_NEAREST_NEIGHBOR, {x, size}, {y},
                               builtin_options(tflite::BuiltinOptions::ResizeNearestNeighborOptions, [](auto& fbb) {
                                 return tflite::CreateResizeNearestNeighborOptions(fbb, false, false);
                               }));
}

void import_resize_nearest(OperatorSite& site) {
  site.expect_counts(2, 2);
  const int x_tensor = site.input(0);
  site.expect_rank(x_tensor, 4);
  site.expect_float(x_tensor);
  if (const auto* options = site.op().builtin_options_as_ResizeNearestNeighborOptions()) {
    if (options->align_corners() || options->half_pixel_centers()) {
      site.fail("align_corners / half_pixel_centers resizing is not supported");
    }
  }
  const std::vector<std::int64_t> size = site.integers(site.input(1));
  if (size.size() != 2) site.fail("size must hold 2 values");
  Attributes attrs;
  attrs.set("sizes", size);
  const int y = site.context.add_node(op::Resize, site.output(), "", {site.context.value_in(x_tensor, layout::nhwc())},
                                      std::move(attrs));
  site.context.hold(site.output(), y, layout::nhwc());
}

int resize_nearest_version(const TfliteVersionQuery& query) {
  if (is(query.input(0), TensorType::INT16)) return 4;
  if (query.facts.align_corners_or_half_pixel) return 3;
  return int8_version(query);
}

const TfliteLoweringRegistration lowering({op::Resize}, lower_resize);
const TfliteImportRegistration import({BuiltinOperator::RESIZE_NEAREST_NEIGHBOR}, {op::Resize}, import_resize_nearest);
const TfliteVersionRegistration rule({BuiltinOperator::RESIZE_NEAREST_NEIGHBOR}, resize_nearest_version);

}  // namespace
}  // namespace edgeport
