// IntegerConv is written as int8 CONV_2D / DEPTHWISE_CONV_2D (ops/conv.cpp),
// IntegerAdd as int8 ADD (ops/binary.cpp); both read back as their QDQ form.
#include "core/ops/integer.h"
#include "tflite/import_registry.h"

namespace edgeport {
namespace {

const TfliteImportRefusal import_refusal(
    {op::IntegerConv, op::IntegerAdd}, "a runtime-internal op (the integer rewrite of a QDQ graph); int8 CONV_2D and ADD read back as their QDQ form");

}  // namespace
}  // namespace edgeport
