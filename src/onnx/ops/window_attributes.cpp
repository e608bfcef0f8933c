#include "onnx/ops/window_attributes.h"

#include "core/window.h"
#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/import_checks.h"

namespace edgeport {

using Ints = std::vector<std::int64_t>;

Ints window_ints(OnnxImporter& importer, const std::string& name, const Ints& fallback) {
  const Ints values = importer.attr_ints(name, fallback);
  if (values.size() != 2) {
    importer.fail("only 2-d windows are supported ('" + name + "' has " + std::to_string(values.size()) + " values)");
  }
  return values;
}

Ints window_pads(OnnxImporter& importer, const Ints& kernel, const Ints& strides, const Ints& dilations) {
  const std::string auto_pad = importer.attr_string("auto_pad", "NOTSET");
  if (auto_pad == "NOTSET") {
    const Ints pads = importer.attr_ints("pads", {0, 0, 0, 0});
    if (pads.size() != 4) importer.fail("expects 4 pads for a 2-d window");
    return pads;
  }
  if (auto_pad == "VALID") return {0, 0, 0, 0};
  if (auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER")
    importer.fail("auto_pad '" + auto_pad + "' is not supported");
  const OddPadding odd = auto_pad == "SAME_UPPER" ? OddPadding::After : OddPadding::Before;
  Ints pads(4, 0);
  for (std::size_t axis = 0; axis < 2; ++axis) {
    const AxisPadding padding =
        same_padding(importer.input_shape(0).at(axis + 2), kernel[axis], strides[axis], dilations[axis], odd);
    pads[axis] = padding.begin;
    pads[axis + 2] = padding.end;
  }
  return pads;
}

Attributes conv_window_attributes(OnnxImporter& importer) {
  require_4d_input(importer);
  const Shape& weight = importer.input_shape(1);
  if (weight.size() != 4) importer.fail("only 2-d convolution is supported");
  const Ints kernel{weight[2], weight[3]};
  if (importer.has_attribute("kernel_shape") && importer.attr_ints("kernel_shape", {}) != kernel) {
    importer.fail("kernel_shape does not match the weight " + shape_to_string(weight));
  }
  const Ints strides = window_ints(importer, "strides", {1, 1});
  const Ints dilations = window_ints(importer, "dilations", {1, 1});
  Attributes attrs;
  attrs.set("strides", strides);
  attrs.set("dilations", dilations);
  attrs.set("pads", window_pads(importer, kernel, strides, dilations));
  attrs.set("group", importer.attr_int("group", 1));
  return attrs;
}

void set_conv_window_attributes(onnx::NodeProto& proto, const Node& node, const Shape& weight) {
  set_attribute(proto, "kernel_shape", Ints{weight[2], weight[3]});
  set_attribute(proto, "strides", node.attrs.get_ints("strides", {1, 1}));
  set_attribute(proto, "pads", node.attrs.get_ints("pads", {0, 0, 0, 0}));
  set_attribute(proto, "dilations", node.attrs.get_ints("dilations", {1, 1}));
  set_attribute(proto, "group", node.attrs.get_int("group", 1));
}

}  // namespace edgeport
