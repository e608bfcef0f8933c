// LaDeDa5 on a 64x64 input through the TFLite writer and reader, judged by
// LiteRT against PyTorch: the residual crop becomes one SLICE over the NHWC
// tensor. Fixtures: tests/generated/ladeda/ from
// tools/make_ladeda_fixtures.py (written by scripts/test.sh); the test skips
// when it is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/npy.h"
#include "models/architecture.h"
#include "passes/passes.h"
#include "runtime/session.h"
#include "support.h"
#include "tflite/reader.h"
#include "tflite/writer.h"

namespace edgeport {
namespace {

using namespace tflite_test;

const std::filesystem::path kFixtures = std::filesystem::path(EDGEPORT_SOURCE_DIR) / "tests/generated/ladeda";

// max |a - b| / max |reference|; infinite when a value is NaN or Inf.
double relative_diff(const Tensor& reference, const Tensor& other) {
  const float diff = max_abs_diff(reference, other);
  const float scale = max_abs(reference);
  if (!std::isfinite(diff) || !std::isfinite(scale)) return INFINITY;
  return scale > 0.0f ? diff / scale : diff;
}

TEST(TfliteLadeda, Ladeda5MatchesPyTorchInLiteRtAndReadsBack) {
  if (!std::filesystem::exists(kFixtures / "manifest.json")) {
    GTEST_SKIP() << kFixtures << " has no manifest.json; run /usr/bin/python3 tools/make_ladeda_fixtures.py";
  }
  const nlohmann::json manifest = nlohmann::json::parse(std::ifstream(kFixtures / "manifest.json"));
  const auto model = std::find_if(manifest.at("models").begin(), manifest.at("models").end(),
                                  [](const nlohmann::json& entry) { return entry.at("checkpoint") == "ladeda5.pt"; });
  ASSERT_NE(model, manifest.at("models").end());
  const nlohmann::json& test_case = model->at("cases").at(0);
  const Tensor input = read_npy(kFixtures / test_case.at("input").get<std::string>());
  const Tensor torch_output = read_npy(kFixtures / test_case.at("output").get<std::string>());
  // 1e-5, or three times PyTorch's own float32 error (see tests/models/ladeda_test.cpp).
  const double tolerance = std::max(1e-5, 3.0 * test_case.at("float32_noise").get<double>());
  BuildOptions options;
  options.input_shape = input.shape();
  Graph graph = build_model(ArchSpec::parse(model->at("arch").get<std::string>()),
                            load_state_dict(kFixtures / "ladeda5.pt"), options);
  fold_batch_norm(graph);
  fuse_activations(graph);
  const Tensor ours = run_graph(graph, input);

  const auto path = scratch_directory("ladeda5_float") / "ladeda5.tflite";
  write_tflite(graph, path);
  EXPECT_EQ(count_operators(path, "SLICE"), 1) << "layer1.0's residual crop";
  EXPECT_EQ(count_operators(path, "TRANSPOSE"), 2) << "only the NCHW interface converts layouts";
  const Tensor theirs = run_litert(path, {input}).front();
  ASSERT_EQ(theirs.shape(), torch_output.shape());
  const double vs_torch = relative_diff(torch_output, theirs);
  const double vs_ours = relative_diff(ours, theirs);
  EXPECT_LE(vs_torch, tolerance);
  EXPECT_LE(vs_ours, tolerance);
  EXPECT_LE(relative_diff(ours, run_graph(read_tflite(path), input)), 1e-6) << "the file read back computes the same";
  std::cout << "| ladeda5 | 64x64 | LiteRT vs PyTorch " << vs_torch << " | LiteRT vs edgeport " << vs_ours
            << " | tolerance " << tolerance << " |\n";
}

}  // namespace
}  // namespace edgeport
