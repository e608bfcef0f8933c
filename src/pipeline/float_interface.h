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

}  // namespace edgeport
