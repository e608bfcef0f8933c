// The HardSigmoid kernel against real PyTorch in float64: nn.Hardsigmoid for
// PyTorch's own alpha 1/6 and beta 1/2, and ONNX's formula for other values.
#include <array>
#include <cmath>
#include <cstdio>
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

// The expected outputs in float64, or empty without PyTorch. `formula` is a
// Python expression in x, alpha and beta.
std::vector<double> pytorch_values(const std::string& formula, double alpha, double beta) {
  std::ostringstream script;
  script.precision(17);
  script << "import torch\nx = torch.tensor([";
  for (float value : kInputs) script << value << ",";
  script << "], dtype=torch.float64)\nalpha, beta = " << alpha << ", " << beta << "\nfor v in (" << formula
         << ").tolist(): print(repr(v))";
  const std::string command = "/usr/bin/python3 -c '" + script.str() + "' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  std::vector<double> result;
  std::array<char, 128> line;
  while (pipe && std::fgets(line.data(), line.size(), pipe.get())) result.push_back(std::stod(line.data()));
  return result;
}

void expect_matches(const std::vector<double>& expected, const Attributes& attrs) {
  ASSERT_EQ(expected.size(), kInputs.size()) << "real PyTorch (/usr/bin/python3 with torch) is needed";
  const Tensor output =
      run_op(op::HardSigmoid, floats({1, static_cast<std::int64_t>(kInputs.size())}, kInputs), {}, attrs);
  // The output scale is 1; float32 rounds alpha, the product and the sum.
  for (std::size_t i = 0; i < kInputs.size(); ++i) {
    EXPECT_NEAR(output.data<float>()[i], expected[i], 2e-7) << "x = " << kInputs[i];
  }
}

TEST(HardSigmoidKernel, PyTorchsGateMatchesNnHardsigmoid) {
  expect_matches(pytorch_values("torch.nn.functional.hardsigmoid(x)", 1.0 / 6.0, 0.5),
                 attributes({{"alpha", 1.0 / 6.0}, {"beta", 0.5}}));
}

class HardSigmoidKernel : public ::testing::TestWithParam<std::pair<double, double>> {};

TEST_P(HardSigmoidKernel, MatchesTheFormulaInFloat64) {
  const auto [alpha, beta] = GetParam();
  expect_matches(pytorch_values("torch.clamp(alpha * x + beta, 0, 1)", alpha, beta),
                 attributes({{"alpha", alpha}, {"beta", beta}}));
}

INSTANTIATE_TEST_SUITE_P(AlphasAndBetas, HardSigmoidKernel,
                         ::testing::Values(std::pair{0.2, 0.5}, std::pair{0.75, -0.25}, std::pair{-0.3, 0.6}));

TEST(HardSigmoidKernel, AbsentAttributesAreOnnxDefaults) {
  expect_matches(pytorch_values("torch.clamp(0.2 * x + 0.5, 0, 1)", 0.2, 0.5), {});
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
