// ONNX's integer ops spell out the quantization of activations as graph
// nodes. TFLite has no such ops: its hybrid kernels quantize activations
// inside CONV_2D / FULLY_CONNECTED, which the IR says with hybrid=1.
#include "core/ops/onnx_integer_ops.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"

namespace edgeport {
namespace {

const TfliteLoweringRefusal lowering_refusal(
    {op::DynamicQuantizeLinear, op::ConvInteger, op::MatMulInteger},
    "an ONNX-only integer op; TFLite's hybrid kernels quantize activations inside CONV_2D / FULLY_CONNECTED, so "
    "write the quantizer's graph (Conv / Linear with hybrid=1 or behind Dequantize) instead");
const TfliteImportRefusal import_refusal(
    {op::DynamicQuantizeLinear, op::ConvInteger, op::MatMulInteger},
    "an ONNX-only integer op; TFLite's hybrid CONV_2D / FULLY_CONNECTED are read as Conv / Linear with hybrid=1");

}  // namespace
}  // namespace edgeport
