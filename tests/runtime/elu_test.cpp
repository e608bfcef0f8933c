// The Elu kernel against real PyTorch (torch.nn.functional.elu in float64).
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/elu.h"
#include "run_op.h"

namespace edgeport::testing {
namespace {

const std::vector<float> kInputs{-30.0f, -5.5f, -1.0f, -0.25f, -1e-7f, -0.0f, 0.0f, 1e-7f, 0.5f, 3.0f, 1e4f};

// F.elu of kInputs in float64, one value per line, or empty without PyTorch.
std::vector<double> pytorch_elu(double alpha) {
  std::ostringstream values;
  for (float value : kInputs) values << value << ",";
  const std::string command = "/usr/bin/python3 -c 'import torch\nx = torch.tensor([" + values.str() +
                              "], dtype=torch.float64)\n"
                              "for v in torch.nn.functional.elu(x, alpha=" + std::to_string(alpha) +
                              ").tolist(): print(repr(v))' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  std::vector<double> result;
  std::array<char, 128> line;
  while (pipe && std::fgets(line.data(), line.size(), pipe.get())) result.push_back(std::stod(line.data()));
  return result;
}

class EluKernel : public ::testing::TestWithParam<double> {};

TEST_P(EluKernel, MatchesPyTorch) {
  const double alpha = GetParam();
  const std::vector<double> expected = pytorch_elu(alpha);
  ASSERT_EQ(expected.size(), kInputs.size()) << "real PyTorch (/usr/bin/python3 with torch) is needed";
  const Tensor output = run_op(op::Elu, floats({1, static_cast<std::int64_t>(kInputs.size())}, kInputs), {},
                               attributes({{"alpha", alpha}}));
  for (std::size_t i = 0; i < kInputs.size(); ++i) {
    const double actual = output.data<float>()[i];
    EXPECT_NEAR(actual, expected[i], 1e-6 * std::max(1.0, std::fabs(expected[i]))) << "x = " << kInputs[i];
  }
}

INSTANTIATE_TEST_SUITE_P(Alphas, EluKernel, ::testing::Values(1.0, 0.5, 2.75));

TEST(EluKernel, NanPassesThrough) {
  const Tensor output = run_op(op::Elu, floats({1}, {std::nanf("")}));
  EXPECT_TRUE(std::isnan(output.data<float>()[0]));
}

TEST(EluKernel, RefusesANonPositiveAlpha) {
  EXPECT_THROW(run_op(op::Elu, floats({1}, {1.0f}), {}, attributes({{"alpha", 0.0}})), Error);
}

}  // namespace
}  // namespace edgeport::testing
