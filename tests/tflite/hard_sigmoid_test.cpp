// HardSigmoid through TFLite: edgeport's MUL / ADD (RELU6) / MUL files in
// LiteRT against the reference kernel, alone and after a convolution (NHWC
// inside the file), and read back.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "core/ops/conv.h"
#include "core/ops/hard_sigmoid.h"
#include "runtime/session.h"
#include "support.h"
#include "tflite/reader.h"
#include "tflite/writer.h"

namespace edgeport {
namespace {

struct Gate {
  const char* name;
  double alpha;
  double beta;
  // MUL operators written: PyTorch's gate needs no scaling by 6 alpha.
  int muls;
};

class TfliteHardSigmoid : public ::testing::TestWithParam<Gate> {};

// Whole numbers: a convolution of them is exact in float32 in any order, so
// the gate after it is all that the runtimes may round differently.
Tensor whole_numbers(const Shape& shape, unsigned seed, float scale) {
  Tensor tensor = tflite_test::random_tensor(shape, seed, scale);
  for (float& value : tensor.values<float>()) value = std::round(value);
  return tensor;
}

Graph gate_graph(const Gate& gate, bool after_conv) {
  Graph graph;
  int x = graph.add_input("x", DType::Float32, {1, 3, 6, 5});
  if (after_conv) {
    Attributes conv;
    conv.set("pads", std::vector<std::int64_t>{1, 1, 1, 1});
    const int weight = graph.add_constant("conv.weight", whole_numbers({4, 3, 3, 3}, 31, 1.0f));
    x = graph.add(op::Conv, "conv", {x, weight}, conv);
  }
  Attributes attrs;
  attrs.set("alpha", gate.alpha);
  attrs.set("beta", gate.beta);
  graph.mark_output(graph.add(op::HardSigmoid, "gate", {x}, attrs));
  return graph;
}

TEST_P(TfliteHardSigmoid, WrittenFileAgreesWithLiteRtAndReadsBack) {
  const Gate gate = GetParam();
  for (bool after_conv : {false, true}) {
    const Tensor input = after_conv ? whole_numbers({1, 3, 6, 5}, 37, 3.0f)
                                    : tflite_test::random_tensor({1, 3, 6, 5}, 37, 8.0f);
    const Graph graph = gate_graph(gate, after_conv);
    const std::string label = std::string(gate.name) + (after_conv ? " after a conv" : "");
    const std::filesystem::path model = tflite_test::scratch_directory(std::string("hard_sigmoid_") + gate.name) /
                                        (after_conv ? "conv_gate.tflite" : "gate.tflite");
    write_tflite(graph, model);
    EXPECT_EQ(tflite_test::count_operators(model, "MUL"), gate.muls) << label;
    EXPECT_EQ(tflite_test::count_operators(model, "ADD"), 1) << label;
    const Tensor ours = Session(graph).run({input}).front();
    const Tensor litert = tflite_test::run_litert(model, {input}).front();
    // relu6(6 alpha x + 6 beta) / 6 against max(0, min(1, alpha x + beta)):
    // roundings alone, on an output scale of 1.
    EXPECT_LE(tflite_test::max_abs_diff(litert, ours), 1.2e-7f) << label;
    EXPECT_GT(*std::max_element(ours.values<float>().begin(), ours.values<float>().end()), 0.999f) << label;
    EXPECT_LT(*std::min_element(ours.values<float>().begin(), ours.values<float>().end()), 0.001f) << label;

    const Graph read = read_tflite(model);
    EXPECT_LE(tflite_test::max_abs_diff(Session(read).run({input}).front(), litert), 1.2e-7f) << label;
  }
}

INSTANTIATE_TEST_SUITE_P(Gates, TfliteHardSigmoid,
                         ::testing::Values(Gate{"pytorch", 1.0 / 6.0, 0.5, 1}, Gate{"onnx_default", 0.2, 0.5, 2},
                                           Gate{"falling", -0.3, 0.6, 2}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace edgeport
