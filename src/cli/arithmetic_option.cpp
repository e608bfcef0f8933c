#include "cli/arithmetic_option.h"

#include "core/error.h"

namespace edgeport::cli {

void add_integer_arithmetic_option(CLI::App& command, std::string& name) {
  command.add_option("--integer-arithmetic", name,
                     "How full-int8 ops compute: float (default; float between Dequantize and Quantize, as LiteRT's "
                     "XNNPACK kernels and ONNX Runtime compute), tflite-reference (TFLite's reference integer "
                     "kernels, what TFLite Micro runs: fixed-point rescale rounding twice) or "
                     "tflite-single-rounding (the same kernels in builds that define TFLITE_SINGLE_ROUNDING)");
}

IntegerArithmetic parse_integer_arithmetic(const std::string& name) {
  if (name == "float") return IntegerArithmetic::Float;
  if (name == "tflite-reference") return IntegerArithmetic::TfliteReference;
  if (name == "tflite-single-rounding") return IntegerArithmetic::TfliteSingleRounding;
  throw Error("--integer-arithmetic: '" + name + "' is not one of float, tflite-reference, tflite-single-rounding");
}

}  // namespace edgeport::cli
