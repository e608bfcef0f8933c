// LaDeDa5 (the teacher with the fewest 3x3 blocks, so the fastest) on a
// 64x64 input through the ONNX writer and reader, judged by ONNX Runtime
// against PyTorch. Fixtures: tests/generated/ladeda/ from
// tools/make_ladeda_fixtures.py (written by scripts/test.sh); the tests skip
// when it is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/npy.h"
#include "models/architecture.h"
#include "onnx/onnx_export.h"
#include "onnx/onnx_import.h"
#include "onnx_test_support.h"
#include "passes/passes.h"
#include "quant/quantizer.h"

namespace edgeport {
namespace {

using namespace onnx_test;

const std::filesystem::path kFixtures = std::filesystem::path(EDGEPORT_SOURCE_DIR) / "tests/generated/ladeda";

struct Ladeda5Case {
  Graph folded;
  Tensor input;
  Tensor torch_output;
  // 1e-5, or three times PyTorch's own float32 error (see tests/models/ladeda_test.cpp).
  double tolerance = 0.0;
};

Ladeda5Case ladeda5_case() {
  const nlohmann::json manifest = nlohmann::json::parse(std::ifstream(kFixtures / "manifest.json"));
  for (const nlohmann::json& model : manifest.at("models")) {
    if (model.at("checkpoint") != "ladeda5.pt") continue;
    const nlohmann::json& test_case = model.at("cases").at(0);
    Ladeda5Case result;
    result.input = read_npy(kFixtures / test_case.at("input").get<std::string>());
    result.torch_output = read_npy(kFixtures / test_case.at("output").get<std::string>());
    result.tolerance = std::max(1e-5, 3.0 * test_case.at("float32_noise").get<double>());
    BuildOptions options;
    options.input_shape = result.input.shape();
    result.folded = build_model(ArchSpec::parse(model.at("arch").get<std::string>()),
                                load_state_dict(kFixtures / "ladeda5.pt"), options);
    fold_batch_norm(result.folded);
    return result;
  }
  throw std::runtime_error("manifest lists no ladeda5.pt");
}

// max |a - b| / max |reference|; infinite when a value is NaN or Inf.
double relative_diff(const Tensor& reference, const Tensor& other) {
  const Tensor values = reference.to_float32();
  double scale = 0.0;
  for (float value : values.values<float>()) scale = std::max(scale, static_cast<double>(std::fabs(value)));
  const double diff = max_abs_diff(reference, other);
  if (!std::isfinite(diff) || !std::isfinite(scale)) return INFINITY;
  return scale > 0.0 ? diff / scale : diff;
}

#define SKIP_WITHOUT_FIXTURES()                                                                              \
  if (!std::filesystem::exists(kFixtures / "manifest.json")) {                                               \
    GTEST_SKIP() << kFixtures << " has no manifest.json; run /usr/bin/python3 tools/make_ladeda_fixtures.py"; \
  }

TEST(OnnxLadeda, Ladeda5MatchesPyTorchInOnnxRuntimeAndReadsBack) {
  SKIP_WITHOUT_FIXTURES();
  const Ladeda5Case item = ladeda5_case();
  const Tensor ours = run_ours(item.folded, item.input);
  const std::filesystem::path folder = scratch_folder("ladeda5_float");
  for (int opset : {kMinOnnxOpset, kMaxOnnxOpset}) {
    SCOPED_TRACE("opset " + std::to_string(opset));
    OnnxExportOptions options;
    options.opset = opset;
    const std::filesystem::path file = folder / ("ladeda5.opset" + std::to_string(opset) + ".onnx");
    write_onnx(item.folded, file, options);
    const std::vector<std::string> ops = onnx_ops(file);
    EXPECT_EQ(std::count(ops.begin(), ops.end(), "Slice"), 1) << "layer1.0's residual crop";
    const Tensor theirs = run_onnx_runtime(file, {item.input}).front();
    const double vs_torch = relative_diff(item.torch_output, theirs);
    const double vs_ours = relative_diff(ours, theirs);
    EXPECT_LE(vs_torch, item.tolerance);
    EXPECT_LE(vs_ours, item.tolerance);
    const Tensor reread = run_ours(read_onnx(file), item.input);
    EXPECT_LE(relative_diff(ours, reread), 1e-6) << "the file read back computes what was written";
    std::printf("figure model=ladeda5 input=64x64 opset=%d ort_vs_pytorch=%.3g ort_vs_edgeport=%.3g tolerance=%.3g\n",
                opset, vs_torch, vs_ours, item.tolerance);
  }
}

// The quantizer passes the crop through: int8 weights behind Dequantize, and
// ONNX Runtime computes what edgeport's runtime does on them.
TEST(OnnxLadeda, QuantizedLadeda5MatchesEdgeportInOnnxRuntime) {
  SKIP_WITHOUT_FIXTURES();
  const Ladeda5Case item = ladeda5_case();
  const QuantizationResult quantized = quantize_graph(item.folded, QuantConfig{});
  EXPECT_TRUE(quantized.skipped.empty());
  const Tensor ours = run_ours(quantized.graph, item.input);
  const std::filesystem::path file = scratch_folder("ladeda5_int8") / "ladeda5.int8.onnx";
  write_onnx(quantized.graph, file);
  const Tensor theirs = run_onnx_runtime(file, {item.input}).front();
  const double vs_ours = relative_diff(ours, theirs);
  EXPECT_LE(vs_ours, item.tolerance);
  const double sqnr = sqnr_db(item.torch_output, ours);
  std::printf("figure model=ladeda5 input=64x64 format=int8 ort_vs_edgeport=%.3g sqnr_vs_pytorch_db=%.1f\n", vs_ours,
              sqnr);
}

}  // namespace
}  // namespace edgeport
