// The HardSigmoid kernel against real PyTorch in float64: nn.Hardsigmoid for
// PyTorch's own alpha 1/6 and beta 1/2, ONNX's formula for other values and
// for absent attributes (ONNX's defaults).
#include <array>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/hard_sigmoid.h"
#include "run_op.h"

namespace edgeport::testing {
namespace {

// Both knees of PyTorch's gate (-3, 3), of ONNX's default one (-2.5, 2.5),
// values between, signed zeros and large magnitudes.
const std::vector<float> kInputs{-1e4f, -30.0f, -3.0f, -2.9999f, -2.5f, -1.0f, -1e-7f, -0.0f, 0.0f,
                                 0.3f,  1.0f,   2.5f,  2.9999f,  3.0f,  3.0001f, 7.0f, 1e4f};

struct Case {
  const char* label;
  double alpha;
  double beta;
  bool attributes_given;
  // A Python expression in x, alpha and beta, evaluated by PyTorch in float64.
  const char* expected;
};

const Case kCases[] = {
    {"PyTorch's gate", 1.0 / 6.0, 0.5, true, "torch.nn.functional.hardsigmoid(x)"},
    {"ONNX's defaults, attributes absent", 0.2, 0.5, false, "torch.clamp(0.2 * x + 0.5, 0, 1)"},
    {"alpha 0.75, beta -0.25", 0.75, -0.25, true, "torch.clamp(alpha * x + beta, 0, 1)"},
    {"falling: alpha -0.3, beta 0.6", -0.3, 0.6, true, "torch.clamp(alpha * x + beta, 0, 1)"},
};

// Every case's expected outputs, one PyTorch run for all; empty without PyTorch.
std::vector<double> pytorch_values() {
  std::ostringstream script;
  script.precision(17);
  script << "import torch\nx = torch.tensor([";
  for (float value : kInputs) script << value << ",";
  script << "], dtype=torch.float64)\n";
  for (const Case& c : kCases) {
    script << "alpha, beta = " << c.alpha << ", " << c.beta << "\nfor v in (" << c.expected
           << ").tolist(): print(repr(v))\n";
  }
  const std::string command = "/usr/bin/python3 -c '" + script.str() + "' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  std::vector<double> result;
  std::array<char, 128> line;
  while (pipe && std::fgets(line.data(), line.size(), pipe.get())) result.push_back(std::stod(line.data()));
  return result;
}

TEST(HardSigmoidKernel, MatchesPyTorchInFloat64) {
  const std::vector<double> expected = pytorch_values();
  ASSERT_EQ(expected.size(), std::size(kCases) * kInputs.size())
      << "real PyTorch (/usr/bin/python3 with torch) is needed";
  const Tensor input = floats({1, static_cast<std::int64_t>(kInputs.size())}, kInputs);
  for (std::size_t c = 0; c < std::size(kCases); ++c) {
    const Case& item = kCases[c];
    SCOPED_TRACE(item.label);
    const Attributes attrs =
        item.attributes_given ? attributes({{"alpha", item.alpha}, {"beta", item.beta}}) : Attributes{};
    const Tensor output = run_op(op::HardSigmoid, input, {}, attrs);
    // The output scale is 1; float32 rounds alpha, the product and the sum.
    for (std::size_t i = 0; i < kInputs.size(); ++i) {
      EXPECT_NEAR(output.data<float>()[i], expected[c * kInputs.size() + i], 2e-7) << "x = " << kInputs[i];
    }
  }
}

TEST(HardSigmoidKernel, NanPassesThrough) {
  const Tensor output = run_op(op::HardSigmoid, floats({1}, {std::nanf("")}));
  EXPECT_TRUE(std::isnan(output.data<float>()[0]));
}

TEST(HardSigmoidKernel, RefusesANonFiniteAttribute) {
  EXPECT_THROW(run_op(op::HardSigmoid, floats({1}, {1.0f}), {}, attributes({{"beta", INFINITY}})), Error);
}

}  // namespace
}  // namespace edgeport::testing
