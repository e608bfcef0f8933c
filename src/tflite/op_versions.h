#pragma once

#include <vector>

#include "tflite/model_builder.h"

namespace edgeport {

// The operator version TFLite's converter would record (the rules of
// tensorflow/lite/tools/versioning/op_version.cc) for the ops and tensor
// types edgeport writes. Absent optional inputs are nullptr.
int tflite_operator_version(tflite::BuiltinOperator code, const std::vector<const TfliteTensorSpec*>& inputs,
                            const std::vector<const TfliteTensorSpec*>& outputs, const TfliteOptionFacts& facts);

}  // namespace edgeport
