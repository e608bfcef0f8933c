#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/ops/shape_rules.h"
#include "tflite/lowering_context.h"
#include "tflite/operator_site.h"

namespace edgeport {

// Lowering: how a conv or pool window is padded in TFLite. SAME when the IR's
// padding happens to be TFLite's, else VALID after an explicit pad.
struct WindowPlan {
  tflite::Padding padding = tflite::Padding::VALID;
  std::vector<std::int64_t> explicit_pads;  // top, left, bottom, right; empty when none
};
// `input` and `output` are the IR's NCHW shapes; `pads` may exceed the
// window's own (a pool's ceil_mode adds some). Fails naming the node when no
// TFLite padding gives the output extent.
WindowPlan plan_window(const Node& node, const Shape& input, const Window2d& window,
                       const std::vector<std::int64_t>& pads, const Shape& output, bool allow_same);

// Pads an NHWC tensor's H and W by `pads` (top, left, bottom, right) with
// `value`; the padded tensor is named after `name`.
int pad_nhwc(LoweringContext& context, const std::string& name, int input, const std::vector<std::int64_t>& pads,
             float value);

// Import: the IR pads (top, left, bottom, right) of a TFLite window over an
// NHWC input; SAME puts any odd unit of padding after, unlike PyTorch.
std::vector<std::int64_t> tflite_window_pads(const OperatorSite& site, tflite::Padding padding, const Shape& nhwc,
                                             const Window2d& window);

}  // namespace edgeport
