#pragma once

#include "tflite/import_context.h"

namespace edgeport {

// Translates operator `index` of subgraph 0 into IR nodes.
void import_operator(ImportContext& context, int index);

}  // namespace edgeport
