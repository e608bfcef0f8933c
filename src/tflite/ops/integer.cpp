// IntegerConv is written as int8 CONV_2D / DEPTHWISE_CONV_2D (ops/conv.cpp).
// Reading int8 operators back (as their QDQ form) is not done yet.
#include "core/ops/integer.h"
#include "tflite/import_registry.h"

namespace edgeport {
namespace {

const TfliteImportRefusal import_refusal(
    {op::IntegerConv}, "a runtime-internal op (the integer rewrite of a QDQ graph); the reader does not read int8 CONV_2D yet");

}  // namespace
}  // namespace edgeport
