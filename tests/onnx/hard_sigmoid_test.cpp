// HardSigmoid through ONNX: edgeport's files in ONNX Runtime and read back,
// and torch.onnx.export files of PyTorch's Hardsigmoid and Hardswish, at the
// opset that writes Hardswish as x * HardSigmoid(x) and at the one with a
// HardSwish op, read by edgeport and judged against PyTorch in float64.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <gtest/gtest.h>

#include "core/npy.h"
#include "core/ops/binary.h"
#include "core/ops/hard_sigmoid.h"
#include "core/ops/unary.h"
#include "onnx/onnx_export.h"
#include "onnx/onnx_import.h"
#include "onnx_test_support.h"
#include "runtime/session.h"

namespace edgeport::onnx_test {
namespace {

int count_ops(const Graph& graph, const std::string& op) {
  return static_cast<int>(std::count_if(graph.nodes.begin(), graph.nodes.end(),
                                        [&op](const Node& node) { return node.op == op; }));
}

double max_abs(const Tensor& tensor) {
  double scale = 0.0;
  for (float value : tensor.values<float>()) scale = std::max(scale, static_cast<double>(std::fabs(value)));
  return scale;
}

// HardSigmoid(x) as an output, and x * HardSigmoid(x) with the given gate.
Graph gate_and_product(const Attributes& gate_attrs) {
  Graph graph;
  const int x = graph.add_input("x", DType::Float32, {1, 3, 5, 7});
  const int gate = graph.add(op::HardSigmoid, "gate", {x}, gate_attrs);
  graph.mark_output(gate);
  graph.mark_output(graph.add(op::Mul, "product", {x, gate}));
  return graph;
}

Attributes alpha_beta(double alpha, double beta) {
  Attributes attrs;
  attrs.set("alpha", alpha);
  attrs.set("beta", beta);
  return attrs;
}

// The file's gate reads back with `alpha` and `beta`, and its product as
// HardSwish `hard_swish_read_back` times.
void expect_written_file_agrees(const Graph& graph, const std::string& name, float alpha, float beta,
                                int hard_swish_read_back) {
  const std::filesystem::path model = scratch_folder("hard_sigmoid_" + name) / "model.onnx";
  write_onnx(graph, model);
  const Tensor input = random_tensor({1, 3, 5, 7}, 29, 6.0f);
  Session session(graph);
  const std::vector<Tensor> ours = session.run({input});
  const std::vector<Tensor> onnx_runtime = run_onnx_runtime(model, {input}, 2);
  for (std::size_t i = 0; i < 2; ++i) {
    // alpha * x + beta rounds alike in both; the clamp is exact.
    EXPECT_LE(max_abs_diff(onnx_runtime[i], ours[i]), 1e-7 * max_abs(ours[i])) << name << " output " << i;
  }
  const Graph read = read_onnx(model);
  EXPECT_EQ(count_ops(read, op::HardSigmoid), 1) << name;
  EXPECT_EQ(count_ops(read, op::HardSwish), hard_swish_read_back) << name;
  const Node& gate = *std::find_if(read.nodes.begin(), read.nodes.end(),
                                   [](const Node& node) { return node.op == op::HardSigmoid; });
  EXPECT_EQ(static_cast<float>(gate.attrs.get_float("alpha")), alpha) << name;
  EXPECT_EQ(static_cast<float>(gate.attrs.get_float("beta")), beta) << name;
  Session read_session(read);
  const std::vector<Tensor> read_outputs = read_session.run({input});
  EXPECT_EQ(max_abs_diff(read_outputs[0], ours[0]), 0.0) << name;
  // HardSwish's x * relu6(x + 3) / 6 rounds differently from x * HardSigmoid(x).
  EXPECT_LE(max_abs_diff(read_outputs[1], ours[1]), 3e-7 * max_abs(ours[1])) << name;
}

TEST(OnnxHardSigmoid, WrittenFilesAgreeWithOnnxRuntimeAndReadBack) {
  // ONNX's defaults (attributes absent): the product stays a product.
  expect_written_file_agrees(gate_and_product({}), "defaults", 0.2f, 0.5f, 0);
  expect_written_file_agrees(gate_and_product(alpha_beta(0.75, -0.25)), "other", 0.75f, -0.25f, 0);
  // PyTorch's gate: its product is HardSwish, which the gate's other reader
  // (the graph output) does not prevent.
  expect_written_file_agrees(gate_and_product(alpha_beta(1.0 / 6.0, 0.5)), "pytorch", 1.0f / 6.0f, 0.5f, 1);
}

// torch.onnx.export of Conv2d -> Hardswish -> a squeeze-and-excitation gate
// (Hardsigmoid of pooled features times the features), as in MobileNetV3.
class OnnxHardSigmoidTorch : public ::testing::TestWithParam<int> {};

TEST_P(OnnxHardSigmoidTorch, ReadsTorchOnnxExportAndMatchesPyTorch) {
  const int opset = GetParam();
  const std::filesystem::path folder = scratch_folder("hard_sigmoid_torch_" + std::to_string(opset));
  const std::string script =
      "import sys, numpy, torch\n"
      "from torch import nn\n"
      "class Block(nn.Module):\n"
      "    def __init__(self):\n"
      "        super().__init__()\n"
      "        self.conv = nn.Conv2d(3, 8, 3, padding=1)\n"
      "        self.act = nn.Hardswish()\n"
      "        self.pool = nn.AdaptiveAvgPool2d(1)\n"
      "        self.squeeze = nn.Conv2d(8, 8, 1)\n"
      "        self.gate = nn.Hardsigmoid()\n"
      "    def forward(self, x):\n"
      "        y = self.act(self.conv(x))\n"
      "        return y * self.gate(self.squeeze(self.pool(y)))\n"
      "torch.manual_seed(0)\n"
      "m = Block().eval()\n"
      "x = torch.randn(1, 3, 9, 9) * 3\n"
      "torch.onnx.export(m, x, sys.argv[1] + '/model.onnx', opset_version=int(sys.argv[2]))\n"
      "numpy.save(sys.argv[1] + '/input.npy', x.numpy())\n"
      "numpy.save(sys.argv[1] + '/expected.npy', m.double()(x.double()).detach().float().numpy())\n";
  const std::string command = "/usr/bin/python3 -c \"" + script + "\" '" + folder.string() + "' " +
                              std::to_string(opset) + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << "real PyTorch (/usr/bin/python3 with torch) is needed";
  const std::vector<std::string> file_ops = onnx_ops(folder / "model.onnx");
  EXPECT_EQ(std::count(file_ops.begin(), file_ops.end(), "HardSigmoid"), opset < 14 ? 2 : 1);
  const Graph graph = read_onnx(folder / "model.onnx");
  EXPECT_EQ(count_ops(graph, op::HardSwish), 1);
  EXPECT_EQ(count_ops(graph, op::HardSigmoid), 1);
  const Tensor input = read_npy(folder / "input.npy");
  const Tensor expected = read_npy(folder / "expected.npy");
  const Tensor ours = run_ours(graph, input);
  const double scale = max_abs(expected);
  EXPECT_LE(max_abs_diff(expected, ours), 1e-5 * scale + 1e-6);
  EXPECT_LE(max_abs_diff(expected, run_onnx_runtime(folder / "model.onnx", {input}).front()), 1e-5 * scale + 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Opsets, OnnxHardSigmoidTorch, ::testing::Values(13, 14));

}  // namespace
}  // namespace edgeport::onnx_test
