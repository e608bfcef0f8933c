#include "tflite/ops/window_padding.h"

#include <algorithm>

#include "core/window.h"
#include "tflite/ops/pad_operator.h"

namespace edgeport {

WindowPlan plan_window(const Node& node, const Shape& input, const Window2d& window,
                       const std::vector<std::int64_t>& pads, const Shape& output, bool allow_same) {
  const bool unpadded = std::all_of(pads.begin(), pads.end(), [](std::int64_t pad) { return pad == 0; });
  bool same = allow_same && !unpadded;
  for (std::size_t axis = 0; axis < 2; ++axis) {
    const AxisPadding given{pads[axis], pads[2 + axis]};
    const std::int64_t extent =
        window_output_extent(input[2 + axis], window.kernel[axis], window.strides[axis], window.dilations[axis], given);
    if (extent != output[2 + axis]) {
      fail_lowering(node, "its output extent " + shape_to_string(output) + " has no TFLite padding equivalent");
    }
    const AxisPadding tflite_same = same_padding(input[2 + axis], window.kernel[axis], window.strides[axis],
                                                 window.dilations[axis], OddPadding::After);
    same = same && tflite_same.begin == given.begin && tflite_same.end == given.end;
  }
  WindowPlan plan;
  if (same) {
    plan.padding = tflite::Padding::SAME;
  } else if (!unpadded) {
    plan.explicit_pads = pads;
  }
  return plan;
}

int pad_nhwc(LoweringContext& context, const std::string& name, int input, const std::vector<std::int64_t>& pads,
             float value) {
  const TfliteTensorSpec& source = context.builder.tensor(input);
  Shape padded(source.shape.begin(), source.shape.end());
  padded[1] += pads[0] + pads[2];
  padded[2] += pads[1] + pads[3];
  const int output = context.scratch(name + "_padded", source.type, padded);
  // Padding keeps an int8 tensor's parameters (and pads with its zero point).
  context.builder.tensor(output).quant = context.builder.tensor(input).quant;
  const int paddings =
      context.int32_constant(name + "/paddings", {0, 0, pads[0], pads[2], pads[1], pads[3], 0, 0}, {4, 2});
  emit_pad(context, input, paddings, output, value, name);
  return output;
}

std::vector<std::int64_t> tflite_window_pads(const OperatorSite& site, tflite::Padding padding, const Shape& nhwc,
                                             const Window2d& window) {
  for (const std::vector<std::int64_t>* values : {&window.kernel, &window.strides, &window.dilations}) {
    if (std::any_of(values->begin(), values->end(), [](std::int64_t value) { return value <= 0; })) {
      site.fail("has a non-positive kernel, stride or dilation");
    }
  }
  if (padding == tflite::Padding::VALID) return {0, 0, 0, 0};
  if (padding != tflite::Padding::SAME) site.fail("has an unknown padding type");
  const AxisPadding h =
      same_padding(nhwc[1], window.kernel[0], window.strides[0], window.dilations[0], OddPadding::After);
  const AxisPadding w =
      same_padding(nhwc[2], window.kernel[1], window.strides[1], window.dilations[1], OddPadding::After);
  return {h.begin, w.begin, h.end, w.end};
}

}  // namespace edgeport
