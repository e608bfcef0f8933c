#include "tflite/ops/pad_operator.h"

#include "tflite/builtin_options.h"

namespace edgeport {

void emit_pad(LoweringContext& context, int input, int paddings, int output, float value, const std::string& name) {
  if (value == 0.0f) {
    context.builder.add_operator(
        tflite::BuiltinOperator::PAD, {input, paddings}, {output},
        builtin_options(tflite::BuiltinOptions::PadOptions, [](auto& fbb) { return tflite::CreatePadOptions(fbb); }));
    return;
  }
  const int fill = context.constant(name + "/pad_value", Tensor::from_vector<float>({}, {value}));
  context.builder.add_operator(
      tflite::BuiltinOperator::PADV2, {input, paddings, fill}, {output},
      builtin_options(tflite::BuiltinOptions::PadV2Options, [](auto& fbb) { return tflite::CreatePadV2Options(fbb); }));
}

}  // namespace edgeport
