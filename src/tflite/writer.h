#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/graph.h"

namespace edgeport {

struct TfliteExportOptions {
  // "none": float32 weights; the graph must be float.
  // "dynamic": the graph carries the quantizer's int8 weights (an int8
  //   constant read by Dequantize, or read directly by an op marked hybrid=1).
  //   Symmetric weights with one scale per tensor or per output channel go
  //   straight into CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED, so TFLite
  //   runs its hybrid kernels; weights with zero points stay int8 behind a
  //   DEQUANTIZE op (weight-only), because hybrid kernels ignore zero points.
  // "float16": float16 weights and biases behind DEQUANTIZE; the graph must be float.
  // "int8": full integer; the graph is the static quantizer's QDQ graph,
  //   lowered by passes/lower_qdq_to_integer: every Conv becomes int8
  //   CONV_2D / DEPTHWISE_CONV_2D between int8 tensors. A Conv left outside
  //   that form is an Error naming it.
  std::string quantization = "none";
  // With quantization "int8": "float" (QUANTIZE at the input, DEQUANTIZE at
  // the output) or "int8" (the file takes and returns int8 codes).
  std::string io_type = "float";
  // "nchw": the model takes and returns the IR's NCHW tensors (one TRANSPOSE
  // at each end of an image model); "nhwc": NHWC interface, no TRANSPOSE.
  std::string layout = "nchw";
  // Added to the file's metadata after the graph's own entries (e.g. the
  // checkpoint's SHA-256, the quantization configuration).
  std::map<std::string, std::string> metadata;
  // Model.description; a default naming the producer and form when empty.
  std::string description;
};

struct TfliteExportSummary {
  // "float32", "float16", "dynamic-range int8 (hybrid ops)",
  // "weight-only int8 (DEQUANTIZE)", "dynamic-range int8 (hybrid ops) + weight-only int8 (DEQUANTIZE)" or
  // "full int8 (float interface)" / "full int8 (int8 interface)".
  std::string form;
  int operators = 0;
  int transposes = 0;
  int hybrid_ops = 0;
  int dequantized_weights = 0;
  int float16_weights = 0;
  std::size_t bytes = 0;
};

// The TFLite FlatBuffer for a graph, checked by the FlatBuffers Verifier.
std::vector<std::uint8_t> encode_tflite(const Graph& graph, const TfliteExportOptions& options,
                                        TfliteExportSummary* summary = nullptr);

// Writes the file atomically; it is renamed into place only after it passes
// the Verifier and reads back with read_tflite.
TfliteExportSummary write_tflite(const Graph& graph, const std::filesystem::path& path,
                                 const TfliteExportOptions& options = {});

}  // namespace edgeport
