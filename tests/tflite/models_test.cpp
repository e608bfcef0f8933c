// Real models through the writer, judged by LiteRT against PyTorch's outputs.
#include <gtest/gtest.h>

#include <iostream>

#include "fixtures.h"
#include "support.h"
#include "tflite/info.h"
#include "tflite/layout.h"
#include "tflite/writer.h"

namespace edgeport {
namespace {

using namespace tflite_test;

Tensor to_layout(const Tensor& nchw, const std::string& layout) {
  return layout == "nhwc" && nchw.rank() == 4 ? tflite_layout::permute_tensor(nchw, tflite_layout::nhwc()) : nchw;
}

// Float32 files of every Tiny-LaDeDa variant, in both layouts, give PyTorch's
// numbers; the NCHW file has exactly one TRANSPOSE at each end, the NHWC file none.
TEST(TfliteModels, TinyLadedaFloatMatchesPyTorchInBothLayouts) {
  const auto directory = scratch_directory("tiny_ladeda_float");
  std::cout << "| model | layout | input | max abs diff vs PyTorch | TRANSPOSE ops |\n|---|---|---|---|---|\n";
  for (const FixtureModel& model : tiny_ladeda_fixtures()) {
    for (const std::string layout : {"nchw", "nhwc"}) {
      TfliteExportOptions options;
      options.layout = layout;
      const auto path = directory / (model.name + "_" + layout + ".tflite");
      const TfliteExportSummary summary = write_tflite(model.graph, path, options);
      EXPECT_EQ(summary.form, "float32");
      // The pooled variants end in a rank-2 output, which needs no conversion.
      const bool image_output = model.graph.value(model.graph.outputs[0]).shape.size() == 4;
      EXPECT_EQ(count_operators(path, "TRANSPOSE"), layout == "nchw" ? (image_output ? 2 : 1) : 0) << model.name;
      std::vector<std::vector<Tensor>> runs;
      for (const FixtureCase& fixture : model.cases) runs.push_back({to_layout(fixture.input, layout)});
      const std::vector<Tensor> outputs = run_litert_batch(path, runs);
      for (std::size_t i = 0; i < outputs.size(); ++i) {
        const FixtureCase& fixture = model.cases[i];
        const Tensor expected = to_layout(fixture.expected, layout);
        ASSERT_EQ(outputs[i].shape(), expected.shape()) << model.name;
        const float diff = max_abs_diff(outputs[i], expected);
        EXPECT_LE(diff, 1e-5f * max_abs(expected) + 1e-6f) << model.name << " " << layout << " " << fixture.input_name;
        std::cout << "| " << model.name << " | " << layout << " | " << fixture.input_name << " | " << diff << " | "
                  << count_operators(path, "TRANSPOSE") << " |\n";
      }
    }
  }
}

TEST(TfliteModels, ResnetAndMobilenetFloatMatchPyTorch) {
  const auto directory = scratch_directory("large_float");
  for (const FixtureModel& model : large_fixtures()) {
    const auto path = directory / (model.name + ".tflite");
    write_tflite(model.graph, path);
    EXPECT_EQ(count_operators(path, "TRANSPOSE"), 1) << model.name << ": only the input needs NCHW -> NHWC";
    std::cout << "| " << model.name << " | operators " << tflite_info(path)["operator_count"] << " | bytes "
              << std::filesystem::file_size(path) << " |\n";
    std::vector<std::vector<Tensor>> runs;
    for (const FixtureCase& fixture : model.cases) runs.push_back({fixture.input});
    const std::vector<Tensor> outputs = run_litert_batch(path, runs);
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      ASSERT_EQ(outputs[i].shape(), model.cases[i].expected.shape()) << model.name;
      const float diff = max_abs_diff(outputs[i], model.cases[i].expected);
      EXPECT_LE(diff, 1e-5f * max_abs(model.cases[i].expected) + 1e-6f) << model.name << " " << model.cases[i].input_name;
      std::cout << "| " << model.name << " | " << model.cases[i].input_name << " | max abs diff vs PyTorch " << diff
                << " |\n";
    }
  }
}

}  // namespace
}  // namespace edgeport
