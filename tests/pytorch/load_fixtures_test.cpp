#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "checkpoint_builder.h"
#include "core/npy.h"
#include "pytorch/state_dict.h"

namespace edgeport {
namespace {

using testing::fixture;

struct ExpectedTensor {
  std::string name;
  std::string dtype;
  Tensor values;  // bfloat16 comes as its int16 bit patterns
};

std::vector<ExpectedTensor> read_expected(const std::string& checkpoint) {
  const std::filesystem::path folder = fixture(checkpoint + ".expected");
  std::ifstream keys(folder / "keys.txt");
  if (!keys) throw std::runtime_error("missing " + (folder / "keys.txt").string());
  std::vector<ExpectedTensor> expected;
  std::string line;
  while (std::getline(keys, line)) {
    std::istringstream fields(line);
    ExpectedTensor tensor;
    std::string file;
    std::getline(fields, tensor.name, '\t');
    std::getline(fields, tensor.dtype, '\t');
    std::getline(fields, file, '\t');
    tensor.values = read_npy(folder / file);
    expected.push_back(std::move(tensor));
  }
  return expected;
}

const std::vector<std::string> kLoadable{
    "dtype_float32", "dtype_float16", "dtype_bfloat16", "dtype_float64", "dtype_int64",
    "dtype_int32", "dtype_int16", "dtype_int8", "dtype_uint8", "dtype_bool",
    "views", "protocol_2", "protocol_3", "protocol_4", "protocol_5",
    "wrapped_model_state_dict", "wrapped_model", "wrapped_net", "wrapped_twice", "prefixed_plain",
    "parameters", "cuda_tagged", "handwritten_benign",
};

class LoadsLikePyTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(LoadsLikePyTorch, EveryTensorMatchesTorchLoadBitForBit) {
  const std::vector<ExpectedTensor> expected = read_expected(GetParam());
  const StateDict loaded = load_state_dict(fixture(GetParam() + ".pt"));
  ASSERT_EQ(loaded.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& [name, tensor] = loaded.entries[i];
    SCOPED_TRACE(expected[i].name);
    EXPECT_EQ(name, expected[i].name);
    EXPECT_EQ(dtype_name(tensor.dtype()), expected[i].dtype);
    EXPECT_EQ(tensor.shape(), expected[i].values.shape());
    ASSERT_EQ(tensor.nbytes(), expected[i].values.nbytes());
    EXPECT_TRUE(std::equal(tensor.raw(), tensor.raw() + tensor.nbytes(), expected[i].values.raw()));
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LoadsLikePyTorch, ::testing::ValuesIn(kLoadable),
                         [](const auto& info) { return info.param; });

TEST(LoadFixtures, EveryFixtureWithExpectedValuesIsTested) {
  std::set<std::string> with_expected;
  for (const auto& entry : std::filesystem::directory_iterator(fixture(""))) {
    if (entry.path().extension() == ".expected") with_expected.insert(entry.path().stem().string());
  }
  EXPECT_EQ(with_expected, std::set<std::string>(kLoadable.begin(), kLoadable.end()));
}

TEST(LoadFixtures, ParameterCountSkipsOnlyNumBatchesTracked) {
  std::int64_t expected = 0;
  bool saw_counter = false;
  for (const ExpectedTensor& tensor : read_expected("protocol_2")) {
    if (tensor.name.ends_with("num_batches_tracked")) {
      saw_counter = true;
    } else {
      expected += tensor.values.numel();
    }
  }
  ASSERT_TRUE(saw_counter);
  const StateDict loaded = load_state_dict(fixture("protocol_2.pt"));
  EXPECT_EQ(loaded.parameter_count(), expected);
  ASSERT_NE(loaded.find("bn.num_batches_tracked"), nullptr);
  EXPECT_EQ(loaded.find("bn.num_batches_tracked")->dtype(), DType::Int64);
  EXPECT_EQ(loaded.find("no.such.tensor"), nullptr);
}

TEST(LoadFixtures, ReadsFromMemoryLikeFromFile) {
  const StateDict from_file = load_state_dict(fixture("views.pt"));
  const StateDict from_memory = load_state_dict_from_bytes(testing::read_fixture("views.pt"), "views in memory");
  ASSERT_EQ(from_file.size(), from_memory.size());
  for (std::size_t i = 0; i < from_file.size(); ++i) {
    EXPECT_EQ(from_file.entries[i].first, from_memory.entries[i].first);
    EXPECT_EQ(from_file.entries[i].second.shape(), from_memory.entries[i].second.shape());
  }
}

}  // namespace
}  // namespace edgeport
