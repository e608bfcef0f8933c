#pragma once

#include "tflite/layout.h"
#include "tflite/operator_site.h"

namespace edgeport {

// The filter of a conv or fully-connected operator as an IR weight: float
// (possibly behind a DEQUANTIZE), or an int8 constant read directly by a
// hybrid op, whose IR node then needs hybrid=1.
struct ImportedFilter {
  int value = kNoValue;
  bool hybrid = false;
};
ImportedFilter import_filter(const OperatorSite& site, int tensor, const tflite_layout::Perm& perm,
                             int channel_dimension);

// The inputs of an IR Conv / Linear: `x`, the filter and, when the operator
// has one, its bias (input 2). A hybrid filter sets hybrid=1 in `attrs`.
std::vector<int> weighted_op_inputs(const OperatorSite& site, int x, const ImportedFilter& filter, Attributes& attrs);

}  // namespace edgeport
