// IR MatMul, a product of two activations, has no TFLite form here; a
// product with a constant weight is a Linear (FULLY_CONNECTED).
#include "core/ops/matmul.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"

namespace edgeport {
namespace {

const TfliteLoweringRefusal lowering_refusal(
    {op::MatMul},
    "a product of two activations would be BATCH_MATMUL, which the TFLite writer does not write; "
    "products with a constant weight are Linear and become FULLY_CONNECTED");
const TfliteImportRefusal import_refusal({op::MatMul},
                                         "the TFLite reader reads no BATCH_MATMUL; FULLY_CONNECTED is read as Linear");

}  // namespace
}  // namespace edgeport
