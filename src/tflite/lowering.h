#pragma once

#include <string>

#include "core/graph.h"
#include "tflite/model_builder.h"

namespace edgeport {

struct TfliteLoweringOptions {
  // "none", "dynamic" or "float16"; see TfliteExportOptions.
  std::string quantization = "none";
  // Graph inputs and outputs of rank 4 are NHWC instead of the IR's NCHW.
  bool nhwc_interface = false;
};

struct TfliteLoweringCounts {
  int hybrid_ops = 0;           // CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED with an int8 filter
  int dequantized_weights = 0;  // int8 weights behind a DEQUANTIZE op (weight-only form)
  int float16_weights = 0;      // float16 weights behind a DEQUANTIZE op
};

// Translates an NCHW IR graph into the builder's NHWC TFLite subgraph, adding
// layout conversions only where an op needs a layout its input does not have.
TfliteLoweringCounts lower_to_tflite(const Graph& graph, const TfliteLoweringOptions& options,
                                     TfliteModelBuilder& builder);

}  // namespace edgeport
