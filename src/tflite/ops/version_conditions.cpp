#include "tflite/ops/version_conditions.h"

namespace edgeport {

using tflite::TensorType;

bool is(const TfliteTensorSpec* tensor, TensorType type) { return tensor && tensor->type == type; }

std::size_t rank_of(const TfliteTensorSpec* tensor) { return tensor ? tensor->shape.size() : 0; }

bool is_hybrid(const TfliteVersionQuery& query) {
  return is(query.input(0), TensorType::FLOAT32) && is(query.input(1), TensorType::INT8) &&
         is(query.output(0), TensorType::FLOAT32);
}

bool is_all_int8(const TfliteVersionQuery& query) {
  return is(query.input(0), TensorType::INT8) && is(query.input(1), TensorType::INT8) &&
         is(query.output(0), TensorType::INT8);
}

bool has_scales_along(const TfliteTensorSpec* tensor, std::size_t dimension, bool require_several) {
  if (!tensor || !tensor->quant || dimension >= tensor->shape.size()) return false;
  const std::size_t count = tensor->quant->scale.size();
  if (require_several && count <= 1) return false;
  return count > 0 && count == static_cast<std::size_t>(tensor->shape[dimension]);
}

int int8_version(const TfliteVersionQuery& query) { return is(query.input(0), TensorType::INT8) ? 2 : 1; }

int int16_int8_version(const TfliteVersionQuery& query) {
  if (is(query.input(0), TensorType::INT16)) return 3;
  return int8_version(query);
}

}  // namespace edgeport
