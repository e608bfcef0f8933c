// The runtime's integer ops exist only inside a session (its integer
// rewrite of a QDQ graph); the TFLite writer lowers the QDQ graph itself.
#include "core/ops/integer.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"

namespace edgeport {
namespace {

constexpr char kReason[] =
    "a runtime-internal op (the integer rewrite of a QDQ graph); int8 CONV_2D is read and written as its QDQ form";
const TfliteLoweringRefusal lowering_refusal({op::IntegerConv}, kReason);
const TfliteImportRefusal import_refusal({op::IntegerConv}, kReason);

}  // namespace
}  // namespace edgeport
