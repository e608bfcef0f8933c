#pragma once

#include <functional>
#include <vector>

#include "tflite/model_builder.h"

namespace edgeport {

// What an operator's version depends on: its tensors (nullptr for an absent
// optional input) and the facts its options state.
struct TfliteVersionQuery {
  const std::vector<const TfliteTensorSpec*>& inputs;
  const std::vector<const TfliteTensorSpec*>& outputs;
  const TfliteOptionFacts& facts;

  // nullptr when the operator has no such tensor.
  const TfliteTensorSpec* input(std::size_t position) const;
  const TfliteTensorSpec* output(std::size_t position) const;
};

// The version rule of builtins, after tensorflow/lite/tools/versioning/op_version.cc,
// for the tensor types edgeport writes. The file of src/tflite/ops/ that
// writes a builtin registers its rule; a builtin without one is version 1.
using TfliteVersionRule = std::function<int(const TfliteVersionQuery& query)>;

struct TfliteVersionRegistration {
  TfliteVersionRegistration(const std::vector<tflite::BuiltinOperator>& codes, const TfliteVersionRule& rule);
};

// The operator version TFLite's converter would record for these tensors.
int tflite_operator_version(tflite::BuiltinOperator code, const std::vector<const TfliteTensorSpec*>& inputs,
                            const std::vector<const TfliteTensorSpec*>& outputs, const TfliteOptionFacts& facts);

}  // namespace edgeport
