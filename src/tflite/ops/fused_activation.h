#pragma once

#include <string>

#include "tflite/lowering_context.h"
#include "tflite/operator_site.h"

namespace edgeport {

// Lowering: the op's own activation attribute, or a Relu / Relu6 that is the
// only reader of its output, folded into TFLite's fused activation. `output`
// is the IR value the TFLite op then produces.
struct FusedActivation {
  tflite::ActivationFunctionType function = tflite::ActivationFunctionType::NONE;
  int output = kNoValue;
};
FusedActivation fuse_activation(LoweringContext& context, const Node& node);

// Import: the IR activation attribute ("none", "relu", "relu6") of a fused
// activation; others fail naming the operator.
std::string activation_attribute(const OperatorSite& site, tflite::ActivationFunctionType type);
// For ops whose IR form has no activation attribute: `value` followed by a
// separate Relu / Relu6 node when the operator fuses one.
int apply_activation(const OperatorSite& site, int value, tflite::ActivationFunctionType type);
// The op's own node is named after its output unless an activation follows.
std::string node_suffix_before(const OperatorSite& site, tflite::ActivationFunctionType type);

}  // namespace edgeport
