#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/graph.h"
#include "quant/activation_range.h"
#include "quant/affine.h"

namespace edgeport {

// The options of full-integer (static) int8 quantization.
struct StaticQuantConfig {
  // Chosen by the end result on the trained sample and the bundled photos
  // (tests/quant/static_quantizer_test.cpp): map SQNR against float of
  // 20.4 dB with mse, 18.6 percentile, 17.8 minmax, 11.9 entropy; every
  // method kept all 12 decisions.
  CalibrationMethod method = CalibrationMethod::Mse;
  double percentile = 99.99;  // for CalibrationMethod::Percentile
  // Conv / Linear nodes, by name, that stay float: their weights stay
  // float32, and an activation that only they read is not quantized.
  std::vector<std::string> float_layers;

  // An Error naming the option out of range.
  void validate() const;
};

struct StaticQuantization {
  // The float graph in QDQ form (see quantize_static).
  Graph graph;
  StaticQuantConfig config;
  // Per float activation of the input graph (graph inputs and node outputs,
  // by name): the int8 parameters of its Quantize.
  std::map<std::string, AffineParams> activations;
  // Weights quantized exactly because they are small integers (frozen filters).
  std::vector<std::string> exact_weights;
};

// Full int8 as QDQ, the form ONNX's static quantization and TFLite's
// converter use. Takes the folded float graph (BatchNorm folded, activations
// fused, as the exporters deploy it) and calibration input sets (one tensor
// per graph input each), runs the graph on them with the runtime to measure
// the range of every float activation, and returns the graph in which:
// - every float activation (graph inputs, node outputs) passes through a
//   Quantize -> Dequantize pair; its int8 value carries asymmetric
//   per-tensor parameters over a range that includes 0. A fused activation
//   sits before the Quantize, so its range is the post-activation one. Ops
//   that only move values (Pad, Reshape, Flatten, Transpose, Slice, MaxPool)
//   keep their input's parameters, as TFLite requires. The input of a
//   graph that takes raw pixels 0..255 gets scale 1 and zero point -128;
// - Conv / Linear weights are int8 constants, symmetric per output channel
//   in [-127,127], read through Dequantize. A frozen filter whose weights are
//   all integers in [-127,127] gets scale 1, so its codes are those integers;
// - biases are int32 constants with scale input scale x weight scale per
//   channel and zero point 0, read through Dequantize.
// The float layers of the config are left as they are, and so is an
// activation that only float layers read (a graph output is always
// quantized). The graph's outputs keep their names. An Error when there is
// no input set, a set does not fit the graph, an activation is not finite
// (naming it) or a float layer names no Conv or Linear.
StaticQuantization quantize_static(const Graph& folded, const std::vector<std::vector<Tensor>>& calibration,
                                   const StaticQuantConfig& config);

}  // namespace edgeport
