#pragma once

#include <string>

#include "core/graph.h"

namespace edgeport {

// The interface of a full-int8 TFLite file. "float": the QDQ graph's own
// ends, one QUANTIZE after each input and one DEQUANTIZE before each output.
// "int8": those are dropped, so the file takes and returns the int8 codes
// (their parameters are on the tensors). "uint8": the file takes and returns
// uint8 codes of the same scales, zero points moved by 128; a QUANTIZE
// requantizes each end. An Error for any other type, and for an integer
// interface whose input is not read by one Quantize to int8 alone or whose
// output is not a Dequantize of int8 codes.
void set_integer_interface(Graph& graph, const std::string& io_type);

}  // namespace edgeport
