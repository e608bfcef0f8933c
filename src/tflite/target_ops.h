#pragma once

#include "tflite/schema_generated.h"

namespace edgeport {

// The builtins each integer target publishes as supported. Edge TPU: the
// "Supported operations" table of the Edge TPU compiler
// (coral.ai/docs/edgetpu/models-intro). TFLite Micro: the builtins its
// MicroMutableOpResolver can register (tflite-micro,
// tensorflow/lite/micro/micro_mutable_op_resolver.h, August 2026).
bool edge_tpu_supports(tflite::BuiltinOperator code);
bool tflite_micro_supports(tflite::BuiltinOperator code);

}  // namespace edgeport
