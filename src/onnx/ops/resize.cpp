// Resize: ONNX Resize and Upsample in nearest mode with source =
// floor(destination / scale), which is PyTorch's nearest interpolation,
// <-> IR Resize. Other modes are refused.
#include "core/ops/resize.h"

#include "onnx/import_shapes.h"
#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/import_checks.h"

namespace edgeport {
namespace {

using Ints = std::vector<std::int64_t>;

void require_pytorch_nearest(OnnxImporter& importer, bool resize_from_opset_11) {
  if (importer.attr_string("mode", "nearest") != "nearest") {
    importer.fail("mode '" + importer.attr_string("mode", "nearest") + "' is not supported (only nearest)");
  }
  if (!resize_from_opset_11) return;
  const std::string transform = importer.attr_string("coordinate_transformation_mode", "half_pixel");
  const std::string rounding = importer.attr_string("nearest_mode", "round_prefer_floor");
  if (transform != "asymmetric" || rounding != "floor") {
    importer.fail("coordinate_transformation_mode '" + transform + "' with nearest_mode '" + rounding +
                  "' is not supported (only asymmetric with floor, PyTorch's nearest)");
  }
}

// The scales of the current node, from the attribute (Upsample before opset
// 9) or input `index`; empty when absent or empty.
std::vector<float> scales_operand(OnnxImporter& importer, bool upsample, std::size_t index) {
  if (upsample && importer.opset() < 9) return importer.attr_floats("scales", {});
  if (!importer.has_input(index) || importer.require_constant(index, "scales").numel() == 0) return {};
  const Tensor scales = importer.require_constant(index, "scales").to_float32();
  return {scales.values<float>().begin(), scales.values<float>().end()};
}

void import_resize(OnnxImporter& importer) {
  require_4d_input(importer);
  const bool upsample = importer.node().op_type() == "Upsample";
  const bool resize_from_opset_11 = !upsample && importer.opset() >= 11;
  require_pytorch_nearest(importer, resize_from_opset_11);
  const Shape& input = importer.input_shape(0);
  Attributes attrs;
  const std::vector<float> scales = scales_operand(importer, upsample, resize_from_opset_11 ? 2 : 1);
  if (!scales.empty()) {
    if (scales.size() != 4 || scales[0] != 1.0f || scales[1] != 1.0f) {
      importer.fail("only scales [1, 1, s_h, s_w] are supported");
    }
    // Before opset 11 the rounding of a shrinking nearest resize is not
    // specified (ONNX Runtime rounds up there); growing is floor everywhere.
    if ((upsample || importer.opset() < 11) && (scales[2] < 1.0f || scales[3] < 1.0f)) {
      importer.fail("scales below 1 are only supported from opset 11 (Resize with nearest_mode floor)");
    }
    attrs.set("scales", std::vector<double>{scales[2], scales[3]});
  } else if (!upsample && importer.has_input(3)) {
    const Ints sizes = int64_values(importer, importer.require_constant(3, "sizes"), "sizes");
    if (sizes.size() != 4 || sizes[0] != input[0] || sizes[1] != input[1]) {
      importer.fail("only sizes that keep N and C are supported");
    }
    attrs.set("sizes", Ints{sizes[2], sizes[3]});
  } else {
    importer.fail("needs scales or sizes");
  }
  importer.emit(op::Resize, {importer.input(0)}, attrs);
}

// The [N, C, out_h, out_w] sizes of a Resize whose batch is symbolic:
// Shape(x)[0:2] joined with the constant spatial extents.
std::string dynamic_resize_sizes(OnnxEmitter& emitter, const Node& node, const std::string& input,
                                 const Ints& spatial) {
  const std::string shape = emitter.fresh(node.name + "_input_shape");
  emitter.add_node("Shape", emitter.fresh(node.name + "_shape"), {input}, {shape});
  const std::string leading = emitter.fresh(node.name + "_leading_extents");
  emitter.add_node("Slice", emitter.fresh(node.name + "_slice"),
                   {shape, emitter.int64_vector(node.name + "_slice_start", {0}),
                    emitter.int64_vector(node.name + "_slice_end", {2})},
                   {leading});
  const std::string sizes = emitter.fresh(node.name + "_sizes");
  set_attribute(emitter.add_node("Concat", emitter.fresh(node.name + "_concat"),
                                 {leading, emitter.int64_vector(node.name + "_spatial", spatial)}, {sizes}),
                "axis", std::int64_t{0});
  return sizes;
}

void write_resize(OnnxEmitter& emitter, const Node& node) {
  const std::string input = emitter.tensor(node.inputs.at(0));
  const Shape& x = emitter.graph().value(node.inputs[0]).shape;
  // Opsets 11 and 12 require the roi and scales inputs, even when unused.
  const bool required_inputs = emitter.opset() < 13;
  const std::string empty_floats =
      required_inputs ? emitter.initializer(node.name + "_empty", Tensor(DType::Float32, {0})) : "";
  std::vector<std::string> inputs{input, empty_floats};
  if (node.attrs.has("sizes")) {
    const Ints spatial = node.attrs.get_ints("sizes");
    inputs.push_back(empty_floats);
    inputs.push_back(emitter.dynamic_batch()
                         ? dynamic_resize_sizes(emitter, node, input, spatial)
                         : emitter.int64_vector(node.name + "_sizes", {x[0], x[1], spatial[0], spatial[1]}));
  } else {
    const std::vector<double> scales = node.attrs.get_floats("scales");
    inputs.push_back(emitter.initializer(
        node.name + "_scales",
        Tensor::from_vector<float>({4}, {1.0f, 1.0f, static_cast<float>(scales[0]), static_cast<float>(scales[1])})));
  }
  onnx::NodeProto& resize = emitter.add_node("Resize", node.name, inputs, {emitter.output_of(node)});
  // PyTorch's nearest: source = floor(destination / scale).
  set_attribute(resize, "mode", std::string("nearest"));
  set_attribute(resize, "coordinate_transformation_mode", std::string("asymmetric"));
  set_attribute(resize, "nearest_mode", std::string("floor"));
}

const NodeImporterRegistration reader({.onnx_ops = {"Resize", "Upsample"},
                                       .ir_ops = {op::Resize},
                                       .import = import_resize});
const NodeWriterRegistration writer({op::Resize}, write_resize);

}  // namespace
}  // namespace edgeport
