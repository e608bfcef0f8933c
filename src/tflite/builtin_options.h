#pragma once

#include "tflite/model_builder.h"

namespace edgeport {

// An operator's builtin options: the union member and how to build its table
// when the builder serializes the model, plus what its version depends on.
template <typename Build>
TfliteOptions builtin_options(tflite::BuiltinOptions type, Build build, TfliteOptionFacts facts = {}) {
  return {type, [build](flatbuffers::FlatBufferBuilder& fbb) { return build(fbb).Union(); }, facts};
}

}  // namespace edgeport
