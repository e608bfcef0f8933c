#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/npy.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

// Cases written by tools/make_runtime_vectors.py from real PyTorch; see its
// docstring for the layout.
const std::filesystem::path kVectorRoot = std::filesystem::path(EDGEPORT_SOURCE_DIR) / "tests/fixtures/runtime";

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  if (!std::filesystem::is_directory(kVectorRoot)) return names;
  for (const auto& entry : std::filesystem::directory_iterator(kVectorRoot)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Attributes read_attributes(const std::filesystem::path& directory) {
  Attributes attrs;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind("attr_", 0) != 0) continue;
    const std::string name = file.substr(5, file.size() - 5 - 4);
    const Tensor value = read_npy(entry.path());
    if (value.dtype() == DType::Int64) {
      const auto span = value.values<std::int64_t>();
      if (value.rank() == 0) {
        attrs.set(name, span[0]);
      } else {
        attrs.set(name, std::vector<std::int64_t>(span.begin(), span.end()));
      }
    } else {
      const auto span = value.values<double>();
      if (value.rank() == 0) {
        attrs.set(name, span[0]);
      } else {
        attrs.set(name, std::vector<double>(span.begin(), span.end()));
      }
    }
  }
  return attrs;
}

class PyTorchVectors : public ::testing::TestWithParam<std::string> {};

TEST_P(PyTorchVectors, RuntimeMatchesPyTorch) {
  const std::string name = GetParam();
  const std::filesystem::path directory = kVectorRoot / name;
  const std::string op = name.substr(0, name.find("__"));

  Graph graph;
  const Tensor input = read_npy(directory / "in0.npy");
  std::vector<int> inputs{graph.add_input("input", input.dtype(), input.shape())};
  for (int index = 1; std::filesystem::exists(directory / ("in" + std::to_string(index) + ".npy")); ++index) {
    const std::string file = "in" + std::to_string(index) + ".npy";
    inputs.push_back(graph.add_constant(file, read_npy(directory / file)));
  }
  graph.mark_output(graph.add(op, name, inputs, read_attributes(directory)));
  const Tensor expected = read_npy(directory / "out.npy");
  const Tensor actual = Session(graph).run({input}).front();

  ASSERT_EQ(actual.shape(), expected.shape());
  // Selection ops move values and must be exact; arithmetic ones may sum in another order.
  const bool exact = op == "MaxPool" || op == "Resize";
  for (std::int64_t i = 0; i < expected.numel(); ++i) {
    const float want = expected.data<float>()[i];
    const float got = actual.data<float>()[i];
    if (exact) {
      ASSERT_EQ(got, want) << "element " << i;
    } else {
      ASSERT_NEAR(got, want, 1e-5f + 1e-5f * std::abs(want)) << "element " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PyTorchVectors, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(PyTorchVectorsFixtures, CoverTheEdgeCaseOps) {
  const std::vector<std::string> names = case_names();
  for (const char* op : {"Conv", "MaxPool", "AvgPool", "Resize"}) {
    const auto cases = std::count_if(names.begin(), names.end(), [&](const std::string& name) {
      return name.rfind(std::string(op) + "__", 0) == 0;
    });
    EXPECT_GE(cases, 4) << op << " cases in " << kVectorRoot;
  }
}

}  // namespace
}  // namespace edgeport
