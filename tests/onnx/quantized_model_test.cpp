// Quantized real models (the quantizer's int8 weights) exported in the QDQ and
// dynamic forms and run in ONNX Runtime. Prints one "figure" line per model,
// format and input: the source of the figures in docs/onnx.md.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>

#include "onnx/onnx_export.h"
#include "onnx/onnx_import.h"
#include "model_fixtures.h"
#include "onnx_test_support.h"
#include "quant/quantizer.h"
#include "requantization.h"

namespace edgeport {
namespace {

using namespace onnx_test;

Graph quantized(const Graph& graph) { return quantize_graph(graph, QuantConfig{}).graph; }

// One checkpoint per architecture variant (the container variants of a
// checkpoint hold the same weights).
std::vector<ModelFixture> tiny_ladeda_variants() {
  std::vector<ModelFixture> variants;
  std::set<std::string> seen;
  for (const ModelFixture& fixture : tiny_ladeda_fixtures()) {
    if (seen.insert(fixture.arch).second) variants.push_back(fixture);
  }
  return variants;
}

void print_figure(const std::string& model, const std::string& format, const std::string& input, double sqnr,
                  double max_abs_vs_torch, double max_abs_vs_ours) {
  std::printf("figure model=%s format=%s input=%s sqnr_vs_pytorch_db=%.2f max_abs_vs_pytorch=%.3g max_abs_vs_edgeport=%.3g\n",
              model.c_str(), format.c_str(), input.c_str(), sqnr, max_abs_vs_torch, max_abs_vs_ours);
}

TEST(OnnxQuantizedModels, TinyLadedaQdqMatchesOurRuntimeAndKeeps40dB) {
  const std::filesystem::path folder = scratch_folder("tiny_ladeda_qdq");
  for (const ModelFixture& fixture : tiny_ladeda_variants()) {
    const Graph graph = quantized(deployed_graph(fixture));
    const std::filesystem::path file = folder / (fixture.checkpoint + ".onnx");
    write_onnx(graph, file);
    const Graph read_back = read_onnx(file);
    for (const ModelCase& item : fixture.cases) {
      const Tensor theirs = run_onnx_runtime(file, {item.input}).front();
      EXPECT_LE(max_abs_diff(run_ours(read_back, item.input), theirs), 1e-4) << fixture.arch << " read back";
      const double versus_ours = max_abs_diff(run_ours(graph, item.input), theirs);
      const double sqnr = sqnr_db(item.torch_output, theirs);
      EXPECT_LE(versus_ours, 1e-4) << fixture.arch << " on " << item.input_file;
      EXPECT_GE(sqnr, 40.0) << fixture.arch << " on " << item.input_file;
      print_figure(fixture.arch, "qdq", item.input_file, sqnr, max_abs_diff(item.torch_output, theirs), versus_ours);
    }
  }
}

TEST(OnnxQuantizedModels, TinyLadedaDynamicMatchesOurIntegerPathAndKeeps25dB) {
  const std::filesystem::path folder = scratch_folder("tiny_ladeda_dynamic");
  OnnxExportOptions options;
  options.quant_format = "dynamic";
  for (const ModelFixture& fixture : tiny_ladeda_variants()) {
    const Graph graph = quantized(deployed_graph(fixture));
    const std::filesystem::path file = folder / (fixture.checkpoint + ".onnx");
    write_onnx(graph, file, options);
    const Graph integer_graph = read_onnx(file);
    for (const ModelCase& item : fixture.cases) {
      const Tensor theirs = run_onnx_runtime(file, {item.input}).front();
      const double versus_integer = max_abs_diff(run_ours(integer_graph, item.input), theirs);
      EXPECT_LE(versus_integer, 1e-4) << fixture.arch << " on " << item.input_file;
      // Against the weight-only graph: within the worst-case bound of
      // activation requantization (requantization.h).
      const double bound = requantization_bound(graph, item.input);
      const double versus_weight_only = max_abs_diff(run_ours(graph, item.input), theirs);
      EXPECT_LE(versus_weight_only, bound * 1.001 + 1e-5) << fixture.arch;
      std::printf("figure model=%s format=dynamic input=%s max_abs_vs_weight_only=%.3g requantization_bound=%.3g\n",
                  fixture.arch.c_str(), item.input_file.c_str(), versus_weight_only, bound);
      // 25 dB, not 30: DynamicQuantizeLinear quantizes each activation to
      // uint8 at run time, and on the published right_diag filter ONNX
      // Runtime's own output measures 27.19 dB against PyTorch on the
      // astronaut (our integer path gives the same output bit for bit, so this
      // is the form's accuracy, not an emulation error).
      const double sqnr = sqnr_db(item.torch_output, theirs);
      EXPECT_GE(sqnr, 25.0) << fixture.arch << " on " << item.input_file;
      print_figure(fixture.arch, "dynamic", item.input_file, sqnr, max_abs_diff(item.torch_output, theirs),
                   versus_integer);
    }
  }
}

TEST(OnnxQuantizedModels, TorchvisionQdqShrinksAbout4xAndMatchesOurRuntime) {
  const std::filesystem::path folder = scratch_folder("torchvision_qdq");
  for (const ModelFixture& fixture : generated_fixtures()) {
    const Graph graph = deployed_graph(fixture);
    const Graph quantized_graph = quantized(graph);
    const std::filesystem::path float_file = folder / (fixture.checkpoint + ".float.onnx");
    const std::filesystem::path qdq_file = folder / (fixture.checkpoint + ".qdq.onnx");
    write_onnx(graph, float_file);
    write_onnx(quantized_graph, qdq_file);
    const double ratio = static_cast<double>(std::filesystem::file_size(float_file)) /
                         static_cast<double>(std::filesystem::file_size(qdq_file));
    EXPECT_GE(ratio, 3.5) << fixture.arch;
    EXPECT_LE(ratio, 4.0) << fixture.arch;
    std::printf("figure model=%s float_bytes=%ju qdq_bytes=%ju ratio=%.2f\n", fixture.arch.c_str(),
                static_cast<std::uintmax_t>(std::filesystem::file_size(float_file)),
                static_cast<std::uintmax_t>(std::filesystem::file_size(qdq_file)), ratio);
    for (const ModelCase& item : fixture.cases) {
      const Tensor theirs = run_onnx_runtime(qdq_file, {item.input}).front();
      const double versus_ours = max_abs_diff(run_ours(quantized_graph, item.input), theirs);
      EXPECT_LE(versus_ours, 1e-4) << fixture.arch;
      print_figure(fixture.arch, "qdq", item.input_file, sqnr_db(item.torch_output, theirs),
                   max_abs_diff(item.torch_output, theirs), versus_ours);
    }
  }
}

}  // namespace
}  // namespace edgeport
