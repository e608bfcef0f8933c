// Pins the LaDeDa preprocessing filters to the model authors' published
// definition (networks/Tiny_LaDeDa.py and networks/LaDeDa.py of
// barcavia/RealTime-DeepfakeDetection-in-the-RealWorld): the tables below are
// written out from that file, not taken from edgeport or tools/, so a wrong
// transcription on either side fails here. The filters are applied as
// F.conv2d(x, k.repeat(3,1,1,1), groups=3, padding="same"), a
// cross-correlation: a unit impulse at (r,c) answers k[1-dy][1-dx] at
// (r+dy, c+dx), i.e. the kernel turned by 180 degrees.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>

#include "models/ladeda_preprocess.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

using Kernel = std::array<std::array<float, 3>, 3>;

const std::map<std::string, Kernel> kPublished = {
    {"x_grad", {{{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}}}},
    {"y_grad", {{{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}}}},
    {"left_diag", {{{0, 1, 2}, {-1, 0, 1}, {-2, -1, 0}}}},
    {"right_diag", {{{-2, -1, 0}, {-1, 0, 1}, {0, 1, 2}}}},
};

constexpr std::int64_t kSize = 7;

// edgeport's preprocessing alone, run by the runtime on a unit impulse at
// (row, column) of `channel`.
Tensor impulse_response(const std::string& mode, int channel, std::int64_t row, std::int64_t column) {
  Graph graph;
  const StateDict no_weights;
  CheckedStateDict weights(no_weights);
  ModelBuilder builder(graph, weights);
  const int input = graph.add_input("input", DType::Float32, {1, 3, kSize, kSize});
  graph.mark_output(ladeda_preprocess(builder, mode, input));
  Tensor impulse(DType::Float32, {1, 3, kSize, kSize});
  impulse.data<float>()[(channel * kSize + row) * kSize + column] = 1.0f;
  return Session(graph).run({impulse}).front();
}

float at(const Tensor& planes, int channel, std::int64_t row, std::int64_t column) {
  return planes.data<float>()[(channel * kSize + row) * kSize + column];
}

// What the published filter answers at (row, column) to an impulse at
// (source_row, source_column) of the same channel; zero padding outside.
float published_response(const Kernel& kernel, std::int64_t source_row, std::int64_t source_column, std::int64_t row,
                         std::int64_t column) {
  const std::int64_t tap_row = source_row - row + 1;
  const std::int64_t tap_column = source_column - column + 1;
  if (tap_row < 0 || tap_row > 2 || tap_column < 0 || tap_column > 2) return 0.0f;
  return kernel[static_cast<std::size_t>(tap_row)][static_cast<std::size_t>(tap_column)];
}

TEST(PublishedKernels, ImpulseResponseIsThePublishedCrossCorrelation) {
  // Centre, corner and edge: the corner and edge show the zero padding of "same".
  const std::array<std::array<std::int64_t, 2>, 3> sources = {{{3, 3}, {0, 0}, {6, 2}}};
  for (const auto& [mode, kernel] : kPublished) {
    for (int channel = 0; channel < 3; ++channel) {
      for (const auto& [source_row, source_column] : sources) {
        const Tensor response = impulse_response(mode, channel, source_row, source_column);
        ASSERT_EQ(response.shape(), (Shape{1, 3, kSize, kSize})) << mode;
        for (int out_channel = 0; out_channel < 3; ++out_channel) {
          for (std::int64_t row = 0; row < kSize; ++row) {
            for (std::int64_t column = 0; column < kSize; ++column) {
              const float expected = out_channel == channel
                                         ? published_response(kernel, source_row, source_column, row, column)
                                         : 0.0f;
              EXPECT_EQ(at(response, out_channel, row, column), expected)
                  << mode << ": impulse at channel " << channel << " (" << source_row << "," << source_column
                  << "), output channel " << out_channel << " (" << row << "," << column << ")";
            }
          }
        }
      }
    }
  }
}

// The Python reference that generates every fixture (tools/tiny_ladeda.py),
// run in real PyTorch: its filter weights must be the published ones too.
TEST(PublishedKernels, PythonReferenceUsesThePublishedKernels) {
  const std::string command =
      "cd '" EDGEPORT_SOURCE_DIR "/tools' && /usr/bin/python3 -c '"
      "import torch, tiny_ladeda as t\n"
      "for mode in (\"x_grad\", \"y_grad\", \"left_diag\", \"right_diag\"):\n"
      "    k = t.LaDeDaPreprocess(mode).kernel\n"
      "    assert tuple(k.shape) == (3, 1, 3, 3)\n"
      "    assert all(torch.equal(k[c], k[0]) for c in range(3))\n"
      "    print(mode, *[int(v) for v in k[0, 0].flatten()])\n' 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 256> buffer;
  while (std::fgets(buffer.data(), buffer.size(), pipe.get())) output += buffer.data();
  if (output.find("No module named 'torch'") != std::string::npos) GTEST_SKIP() << "no PyTorch: " << output;
  std::istringstream lines(output);
  std::map<std::string, Kernel> reported;
  std::string mode;
  while (lines >> mode) {
    Kernel kernel;
    for (auto& row : kernel) {
      for (float& value : row) lines >> value;
    }
    reported[mode] = kernel;
  }
  EXPECT_EQ(reported, kPublished) << output;
}

}  // namespace
}  // namespace edgeport
