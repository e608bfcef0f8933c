#pragma once

#include "core/graph.h"

namespace edgeport {

// A model whose inputs or outputs are quantized codes (a TFLite file written
// with --io-type int8), wrapped so that it takes and returns float32 like the
// model it is judged against: a Quantize with the input's own parameters in
// front of each quantized input, a Dequantize after each quantized output.
// Names stay; the code values get a "_codes" suffix. Other graphs come back
// as they are.
Graph with_float_interface(const Graph& graph);

// Whether an interface value carries int8 or uint8 codes with their
// quantization parameters.
bool holds_codes(const Value& value);

// The codes an interface input takes for the real values `real`, as a
// Quantize with the value's parameters computes them.
Tensor interface_codes(const Value& input, const Tensor& real);

// The real values of `codes` read from an interface output.
Tensor interface_reals(const Value& output, const Tensor& codes);

}  // namespace edgeport
