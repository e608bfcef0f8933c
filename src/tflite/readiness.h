#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "tflite/model_view.h"

namespace edgeport {

// Whether a TFLite file suits the integer-only targets, against the
// constraints Edge TPU and TFLite Micro publish: int8 or uint8 tensors (int32
// allowed for biases and for constant shape, axis and padding operands),
// static shapes, batch 1 at the interface, supported builtins, one subgraph
// for the Edge TPU compiler.
//
// {"fully_integer": bool, "integer_inside_float_interface": bool,
//  "edge_tpu": bool, "tflite_micro": bool,
//  "problems": [{"where": "operator 0 (CONV_2D)", "problem": "...",
//                "breaks": ["fully integer", "Edge TPU", "TFLite Micro"]}]}
// lists every operator, tensor or model property that breaks one of them.
// A QUANTIZE of a float input and a DEQUANTIZE into a float output break
// "fully integer" only: both targets run them at the ends, and
// "integer_inside_float_interface" says when nothing else does.
nlohmann::json tflite_readiness(const TfliteModelView& model);

std::string format_tflite_readiness(const nlohmann::json& readiness);

}  // namespace edgeport
