// IntegerConv is written as int8 CONV_2D / DEPTHWISE_CONV_2D (ops/conv.cpp),
// IntegerAdd as int8 ADD (ops/binary.cpp), IntegerLinear as int8
// FULLY_CONNECTED (ops/linear.cpp), IntegerMean as int8 MEAN (ops/mean.cpp);
// all read back as their QDQ form.
#include "core/ops/integer.h"
#include "tflite/import_registry.h"

namespace edgeport {
namespace {

const TfliteImportRefusal import_refusal(
    {op::IntegerConv, op::IntegerAdd, op::IntegerLinear, op::IntegerMean},
    "a runtime-internal op (the integer rewrite of a QDQ graph); int8 CONV_2D, ADD, FULLY_CONNECTED and MEAN read "
    "back as their QDQ form");

}  // namespace
}  // namespace edgeport
