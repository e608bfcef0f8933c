#pragma once

#include <ostream>

#include "pipeline/activation_attribution.h"
#include "pipeline/compare_models.h"
#include "pipeline/decision_metrics.h"
#include "pipeline/quantize_model.h"
#include "quant/static_quantizer.h"

namespace edgeport {

struct FullInt8Outcome {
  StaticQuantization quantization;
  ModelLevelComparison model;  // the QDQ graph against the float one
  DecisionFigures decisions;   // of a detector or classifier; kind None otherwise
  std::size_t calibration_sets = 0;
  std::vector<ActivationShare> attribution;  // worst first
};

// The graph the static quantizer is given: the folded float graph with each
// pair of convolutions that nothing nonlinear separates merged into one
// (passes.h, exact in real arithmetic), so the activation between them is
// never quantized. On the trained sample conv1 merges into conv2: model SQNR
// 23.73 -> 24.35 dB, largest probability change 0.040 -> 0.021.
Graph static_quantization_source(const Graph& folded);

// `edgeport quantize --quantization int8`: weights and activations
// (static_quantizer.h). Activation ranges come from the calibration images
// (request.calibration_dir; the bundled photos for an image model without
// one; the model-level inputs otherwise). The QDQ graph is measured against
// the float one on the calibration sets plus the request's inputs: SQNR and
// decisions. Prints a short report (every activation's parameters with
// the figures and where the SQNR goes, activation by activation), writes the .eqm container of the QDQ graph when asked.
// Options of the weight quantizer other than the defaults are an Error.
FullInt8Outcome quantize_full_int8(const QuantizeRequest& request, const StaticQuantConfig& config, std::ostream& out);

}  // namespace edgeport
