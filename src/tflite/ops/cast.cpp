// IR Cast (from ONNX files, e.g. around ONNX's integer ops) has no TFLite
// form here: edgeport's TFLite files keep every activation float32.
#include "core/ops/cast.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"

namespace edgeport {
namespace {

const TfliteLoweringRefusal lowering_refusal(
    {op::Cast},
    "the TFLite writer keeps activations float32 (int8 only inside hybrid kernels), so it writes "
    "no CAST between types");
const TfliteImportRefusal import_refusal(
    {op::Cast}, "the TFLite reader takes float32 activations only, so it reads no CAST between types");

}  // namespace
}  // namespace edgeport
