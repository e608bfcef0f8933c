#pragma once

#include <filesystem>
#include <map>
#include <string>

#include <onnx/onnx_pb.h>

#include "core/graph.h"

namespace edgeport {

// How quantized weights (int8 constants read by Dequantize, or taken directly
// by a Conv / Linear) are written.
//   "qdq":     int8 initializers, DequantizeLinear (per-axis scales and zero
//              points) feeding float Conv / Gemm. Below opset 13, where
//              DequantizeLinear is per-tensor only, a per-axis weight becomes
//              Cast -> Sub(zero points) -> Mul(scales), the same arithmetic.
//   "dynamic": what ONNX Runtime's quantize_dynamic emits: DynamicQuantizeLinear
//              on the activation, ConvInteger / MatMulInteger on the uint8
//              activation and the int8 weight with its zero points, Cast, the
//              scale multiply and the float bias. ConvInteger takes only one
//              weight zero point in ONNX Runtime, so differing per-channel
//              zero points are applied as an exact correction term
//              (a ConvInteger of the activation with a ones kernel, times the
//              zero points, subtracted).
struct OnnxExportOptions {
  int opset = 13;  // 11 to 17
  std::string quant_format = "qdq";
  // Stores the float32 weights and biases of Conv / Linear / MatMul as
  // float16 initializers, each followed by a Cast to float: half the bytes,
  // float compute, valid in every opset (the ONNX form of TFLite's float16
  // weights behind DEQUANTIZE).
  bool float16_weights = false;
  // Stores quantized weights with their int8 codes, as TensorRT expects. By
  // default they are stored as uint8 (code + 128, zero point + 128; the same
  // real values): ONNX Runtime's x86 kernels without VNNI add pairs of
  // uint8 x int8 products in saturating 16-bit arithmetic, which corrupts
  // results, and multiply uint8 x uint8 exactly.
  bool int8_weight_codes = false;
  // Makes the batch (first) axis of inputs and outputs the symbol "batch".
  bool dynamic_batch = false;
  // Extra metadata_props (e.g. "source_checkpoint"); they override the
  // graph's metadata of the same key.
  std::map<std::string, std::string> metadata;
  std::string graph_name = "edgeport";
};

inline constexpr int kMinOnnxOpset = 11;
inline constexpr int kMaxOnnxOpset = 17;

// Throws an Error naming the bad option.
void validate(const OnnxExportOptions& options);

// The model proto of a graph; throws an Error naming the node that the chosen
// opset and format cannot express.
onnx::ModelProto to_onnx_model(const Graph& graph, const OnnxExportOptions& options = {});

// Writes the graph as an ONNX file. The bytes go to a temporary file that must
// pass check_onnx_model (checker + strict shape inference) before it is
// renamed into place; nothing is left behind on failure.
void write_onnx(const Graph& graph, const std::filesystem::path& path, const OnnxExportOptions& options = {});

}  // namespace edgeport
