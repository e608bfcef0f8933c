#include "tflite/op_versions.h"

namespace edgeport {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

bool is(const TfliteTensorSpec* tensor, TensorType type) { return tensor && tensor->type == type; }

// Float activations with an int8 weight: TFLite's hybrid (dynamic-range) kernels.
bool hybrid(const std::vector<const TfliteTensorSpec*>& inputs, const std::vector<const TfliteTensorSpec*>& outputs) {
  return inputs.size() > 1 && is(inputs[0], TensorType::FLOAT32) && is(inputs[1], TensorType::INT8) &&
         !outputs.empty() && is(outputs[0], TensorType::FLOAT32);
}

bool all_int8(const std::vector<const TfliteTensorSpec*>& inputs, const std::vector<const TfliteTensorSpec*>& outputs) {
  return inputs.size() > 1 && is(inputs[0], TensorType::INT8) && is(inputs[1], TensorType::INT8) &&
         !outputs.empty() && is(outputs[0], TensorType::INT8);
}

// One scale per entry of `dimension` of the tensor's shape.
bool scales_along(const TfliteTensorSpec* tensor, std::size_t dimension, bool require_several) {
  if (!tensor || !tensor->quant || dimension >= tensor->shape.size()) return false;
  const std::size_t count = tensor->quant->scale.size();
  if (require_several && count <= 1) return false;
  return count > 0 && count == static_cast<std::size_t>(tensor->shape[dimension]);
}

std::size_t rank_of(const TfliteTensorSpec* tensor) { return tensor ? tensor->shape.size() : 0; }

}  // namespace

int tflite_operator_version(BuiltinOperator code, const std::vector<const TfliteTensorSpec*>& inputs,
                            const std::vector<const TfliteTensorSpec*>& outputs, const TfliteOptionFacts& facts) {
  const TfliteTensorSpec* first = inputs.empty() ? nullptr : inputs[0];
  switch (code) {
    case BuiltinOperator::CONV_2D: {
      const TfliteTensorSpec* filter = inputs.size() > 1 ? inputs[1] : nullptr;
      if (first && filter && first->shape.size() == 4 && filter->shape.size() == 4 &&
          first->shape[3] != filter->shape[3]) {
        return 6;
      }
      if (all_int8(inputs, outputs)) return 3;
      if (hybrid(inputs, outputs)) return scales_along(filter, 0, false) ? 5 : 2;
      return 1;
    }
    case BuiltinOperator::DEPTHWISE_CONV_2D: {
      if (hybrid(inputs, outputs)) return scales_along(inputs[1], 3, false) ? 6 : 4;
      if (all_int8(inputs, outputs)) return 3;
      return facts.dilated ? 2 : 1;
    }
    case BuiltinOperator::FULLY_CONNECTED: {
      if (hybrid(inputs, outputs) && scales_along(inputs[1], 0, true)) return 12;
      if (inputs.size() == 2) return 6;
      if (facts.keep_num_dims) return 5;
      if (all_int8(inputs, outputs)) return 4;
      if (hybrid(inputs, outputs)) return facts.asymmetric_quantize_inputs ? 9 : 3;
      return 1;
    }
    case BuiltinOperator::DEQUANTIZE:
      if (is(first, TensorType::INT16) || is(first, TensorType::FLOAT16)) return 3;
      if (is(first, TensorType::INT8)) {
        const int dimension = first->quant ? first->quant->axis : 0;
        return scales_along(first, static_cast<std::size_t>(dimension < 0 ? 0 : dimension), true) ? 5 : 2;
      }
      return 1;
    case BuiltinOperator::QUANTIZE: {
      const TfliteTensorSpec* output = outputs.empty() ? nullptr : outputs[0];
      if (output && output->quant) {
        const int dimension = output->quant->axis < 0 ? 0 : output->quant->axis;
        if (scales_along(output, static_cast<std::size_t>(dimension), true)) return 3;
      }
      return is(output, TensorType::INT16) ? 2 : 1;
    }
    case BuiltinOperator::TRANSPOSE:
      if (rank_of(first) > 5) return 6;
      if (is(first, TensorType::INT16)) return 5;
      if (rank_of(first) > 4) return 4;
      if (is(first, TensorType::BOOL)) return 3;
      return is(first, TensorType::INT8) ? 2 : 1;
    case BuiltinOperator::PAD:
    case BuiltinOperator::PADV2:
      if (rank_of(first) > 4) return 4;
      if (is(first, TensorType::INT16)) return 3;
      return is(first, TensorType::INT8) ? 2 : 1;
    case BuiltinOperator::SLICE:
      if (rank_of(first) > 4) return 5;
      if (is(first, TensorType::INT16)) return 4;
      if (is(first, TensorType::STRING)) return 3;
      return is(first, TensorType::INT8) ? 2 : 1;
    case BuiltinOperator::SUB: {
      const bool broadcast = inputs.size() > 1 && first && inputs[1] && first->shape != inputs[1]->shape;
      if (broadcast && (rank_of(first) > 4 || rank_of(inputs[1]) > 4)) return 3;
      return is(first, TensorType::INT8) ? 2 : 1;
    }
    case BuiltinOperator::RESIZE_NEAREST_NEIGHBOR:
      if (is(first, TensorType::INT16)) return 4;
      if (facts.align_corners_or_half_pixel) return 3;
      return is(first, TensorType::INT8) ? 2 : 1;
    case BuiltinOperator::MEAN:
    case BuiltinOperator::RELU6:
      if (is(first, TensorType::INT16)) return 3;
      return is(first, TensorType::INT8) ? 2 : 1;
    case BuiltinOperator::RELU:
      if (is(first, TensorType::INT16)) return 3;
      return is(first, TensorType::INT8) || is(first, TensorType::UINT8) ? 2 : 1;
    case BuiltinOperator::ADD:
    case BuiltinOperator::MUL:
    case BuiltinOperator::MAX_POOL_2D:
    case BuiltinOperator::AVERAGE_POOL_2D:
    case BuiltinOperator::LOGISTIC:
    case BuiltinOperator::CONCATENATION:
      return is(first, TensorType::INT8) ? 2 : 1;
    default:
      return 1;
  }
}

}  // namespace edgeport
