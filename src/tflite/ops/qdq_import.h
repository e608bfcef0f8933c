#pragma once

#include <vector>

#include "tflite/layout.h"
#include "tflite/operator_site.h"

namespace edgeport {

// An int8 TFLite operator reads back as its QDQ form: Dequantize of its int8
// operands (and int32 bias), the float op, a Quantize to the output's
// parameters. The runtime's integer rewrite runs that form as the int8 kernel.

// The Dequantize of `codes`, the IR value holding int8 `tensor`. A value that
// came through a TRANSPOSE does not carry the parameters yet; it gets the
// tensor's. An Error when the tensor has none.
int dequantize_int8_operand(OperatorSite& site, int tensor, int codes);

// Appends the Dequantize of the operator's int32 bias (input 2), when it has one.
void append_dequantized_bias(OperatorSite& site, std::vector<int>& inputs);

// Quantizes `sums` to the output tensor's int8 parameters and holds the result
// as the output, in `perm`.
void hold_quantized_output(OperatorSite& site, int sums, const tflite_layout::Perm& perm);

}  // namespace edgeport
