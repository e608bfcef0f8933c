// Elu through ONNX: edgeport's file in ONNX Runtime, and a torch.onnx.export
// file of a convolution followed by nn.ELU read back and run by edgeport.
#include <cstdlib>

#include <gtest/gtest.h>

#include "core/npy.h"
#include "core/ops/elu.h"
#include "onnx/onnx_export.h"
#include "onnx/onnx_import.h"
#include "onnx_test_support.h"

namespace edgeport::onnx_test {
namespace {

Graph elu_graph(double alpha) {
  Graph graph;
  const int x = graph.add_input("x", DType::Float32, {1, 3, 5, 7});
  Attributes attrs;
  attrs.set("alpha", alpha);
  graph.mark_output(graph.add(op::Elu, "elu", {x}, attrs));
  return graph;
}

TEST(OnnxElu, WrittenFileAgreesWithOnnxRuntimeAndReadsBack) {
  const Graph graph = elu_graph(0.7);
  const std::filesystem::path model = scratch_folder("elu_written") / "elu.onnx";
  write_onnx(graph, model);
  ASSERT_EQ(onnx_ops(model), std::vector<std::string>{"Elu"});
  const Tensor input = random_tensor({1, 3, 5, 7}, 17, 4.0f);
  const Tensor ours = run_ours(graph, input);
  EXPECT_LE(max_abs_diff(run_onnx_runtime(model, {input}).front(), ours), 1e-6);

  const Graph read = read_onnx(model);
  ASSERT_EQ(read.nodes.size(), 1u);
  EXPECT_EQ(read.nodes[0].op, op::Elu);
  EXPECT_FLOAT_EQ(static_cast<float>(read.nodes[0].attrs.get_float("alpha")), 0.7f);
  EXPECT_EQ(max_abs_diff(run_ours(read, input), ours), 0.0);
}

// The file a PyTorch user gets: torch.onnx.export of Conv2d -> ELU(alpha=0.5),
// with PyTorch's own output beside it.
TEST(OnnxElu, ReadsTorchOnnxExportAndMatchesPyTorch) {
  const std::filesystem::path folder = scratch_folder("elu_torch");
  const std::string script =
      "import sys, numpy, torch\n"
      "torch.manual_seed(0)\n"
      "m = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1), torch.nn.ELU(alpha=0.5)).eval()\n"
      "x = torch.randn(1, 3, 9, 9) * 3\n"
      "torch.onnx.export(m, x, sys.argv[1] + '/model.onnx', opset_version=13)\n"
      "numpy.save(sys.argv[1] + '/input.npy', x.numpy())\n"
      "numpy.save(sys.argv[1] + '/expected.npy', m(x).detach().numpy())\n";
  const std::string command = "/usr/bin/python3 -c \"" + script + "\" '" + folder.string() + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << "real PyTorch (/usr/bin/python3 with torch) is needed";
  const Graph graph = read_onnx(folder / "model.onnx");
  bool has_elu = false;
  for (const Node& node : graph.nodes) has_elu = has_elu || node.op == op::Elu;
  EXPECT_TRUE(has_elu);
  const Tensor input = read_npy(folder / "input.npy");
  const Tensor expected = read_npy(folder / "expected.npy");
  const Tensor ours = run_ours(graph, input);
  double scale = 0.0;
  for (float value : expected.values<float>()) scale = std::max(scale, static_cast<double>(std::fabs(value)));
  EXPECT_LE(max_abs_diff(expected, ours), 1e-5 * scale + 1e-6);
  EXPECT_LE(max_abs_diff(run_onnx_runtime(folder / "model.onnx", {input}).front(), ours), 1e-5 * scale + 1e-6);
}

}  // namespace
}  // namespace edgeport::onnx_test
