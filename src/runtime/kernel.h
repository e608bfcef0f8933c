#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/graph.h"

namespace edgeport {

// Whose float depthwise convolution (one input channel per group, one output
// per channel) the runtime reproduces bit for bit. The runtimes differ only in
// the order and fusion of roundings, which matters where the result is then
// quantized at run time (a hybrid op's or DynamicQuantizeLinear's input, as
// after Tiny-LaDeDa's gradient filter): one ulp there can cross a rounding
// boundary and move a code. Measured on padded stride-1 1x3, 3x3 and 5x5
// kernels with bias.
enum class DepthwiseArithmetic {
  // LiteRT (@litertjs/core 2.5.3, XNNPACK's dwconv): the bias, then one fused
  // multiply-add per tap, taps column by column (kx outer, ky inner).
  LiteRt,
  // ONNX Runtime (onnxruntime-node, MLAS on x86-64): taps in row-major order in
  // blocks of four; each block's rounded products are summed from zero and the
  // block's sum added to a total started from zero; the bias is added last.
  OnnxRuntime,
  // Every other convolution's order: the bias, then one rounded product and
  // one add per tap, row-major.
  Sequential,
};

// How a QDQ graph (int8 activations between Quantize and Dequantize) runs.
enum class IntegerArithmetic {
  // As written: every op in float on the dequantized values (ONNX's QDQ
  // semantics).
  Float,
  // Dequantize -> op -> Quantize patterns run as integer kernels with
  // TFLite's reference integer arithmetic (what TFLite Micro runs), bit for
  // bit; see rewrite_for_integer_arithmetic.
  TfliteReference,
  // The same kernels with the rescale of TFLite builds that define
  // TFLITE_SINGLE_ROUNDING (an option of TFLite Micro's): one 64-bit
  // multiply and one rounding shift.
  TfliteSingleRounding,
};

struct RunOptions {
  // Ops marked hybrid=1 run with integer arithmetic on quantized activations,
  // as TFLite's hybrid kernels do. When false they compute in float on the
  // dequantized weights.
  bool hybrid = true;
  // Output channels (Conv) or output features (Linear) are split over this many threads.
  int threads = 1;
  DepthwiseArithmetic depthwise_arithmetic = DepthwiseArithmetic::LiteRt;
  // Run every op with its reference kernel (the simple oracle, in the
  // accumulation order the emulation modes were checked against) and without
  // the session's graph rewrites. A graph that quantizes activations at run
  // time always runs this way: there one ulp upstream can move a code.
  bool reference = false;
  IntegerArithmetic integer = IntegerArithmetic::Float;
};

// What a kernel sees: the node, its input tensors (nullptr for an absent
// optional input), the graph values of those inputs (for quantization
// parameters) and output tensors already shaped per the IR's shape rules.
struct KernelContext {
  const Graph& graph;
  const Node& node;
  std::vector<const Tensor*> inputs;
  std::vector<Tensor*> outputs;
  const RunOptions& options;

  const Tensor& input(std::size_t index) const;
  bool has_input(std::size_t index) const { return index < inputs.size() && inputs[index] != nullptr; }
  Tensor& output(std::size_t index = 0) const { return *outputs.at(index); }
  const Value& input_value(std::size_t index) const { return graph.value(node.inputs.at(index)); }
  const Value& output_value(std::size_t index = 0) const { return graph.value(node.outputs.at(index)); }
};

using Kernel = std::function<void(const KernelContext& context)>;

// Specialises an op's kernel once per session for one node of a graph that
// runs without `reference`: the returned kernel may own packed weights or a
// library primitive. An empty Kernel means the op's plain kernel applies.
using KernelPreparer = std::function<Kernel(const Graph& graph, const Node& node, const RunOptions& options)>;

// What an op's prepared kernels read when they run: every input, or only the
// first, when preparation copied the constant ones (a convolution's packed
// weight and bias). A session frees constants that nothing reads any more.
enum class PreparedReads { AllInputs, FirstInputOnly };

struct Preparation {
  KernelPreparer prepare;
  PreparedReads reads = PreparedReads::AllInputs;
};

// Kernels register themselves by op name, one file of src/runtime/kernels/ each.
class KernelRegistry {
 public:
  static void add(const std::string& op, Kernel kernel);
  static const Kernel* find(const std::string& op);
  static void add_preparer(const std::string& op, Preparation preparation);
  static const Preparation* find_preparer(const std::string& op);
};

struct KernelRegistration {
  KernelRegistration(const std::string& op, Kernel kernel) { KernelRegistry::add(op, std::move(kernel)); }
  KernelRegistration(const std::string& op, Kernel kernel, KernelPreparer preparer,
                     PreparedReads reads = PreparedReads::AllInputs) {
    KernelRegistry::add(op, std::move(kernel));
    KernelRegistry::add_preparer(op, {std::move(preparer), reads});
  }
};

}  // namespace edgeport
