#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.h"
#include "models/architecture.h"
#include "synthetic_state_dict.h"

namespace edgeport {
namespace {

using testing::erase_entry;
using testing::find_entry;
using testing::tiny_ladeda_state_dict;

std::string build_error(const std::string& spec, const StateDict& state_dict) {
  try {
    build_model(ArchSpec::parse(spec), state_dict);
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "built without error";
  return "";
}

// The comma-separated keys after "missing " in a mismatch message.
std::vector<std::string> missing_keys(const std::string& message) {
  const std::size_t start = message.find("missing ");
  if (start == std::string::npos) return {};
  const std::string list = message.substr(start + 8, message.find(';', start) - start - 8);
  std::vector<std::string> keys;
  std::size_t begin = 0;
  while (begin <= list.size()) {
    const std::size_t comma = std::min(list.find(", ", begin), list.size());
    keys.push_back(list.substr(begin, comma - begin));
    begin = comma + 2;
  }
  return keys;
}

TEST(StateDictCheck, ListsEveryProblemInOneLine) {
  StateDict state_dict = tiny_ladeda_state_dict();
  erase_entry(state_dict, "conv2.weight");
  state_dict.entries.emplace_back("foo.bar", Tensor(DType::Float32, {2}));
  *find_entry(state_dict, "fc.weight") = Tensor(DType::Float32, {2, 8});
  EXPECT_EQ(build_error("tiny_ladeda", state_dict),
            "state_dict does not match tiny_ladeda (1 keys missing, 1 unexpected, 1 of the wrong shape or type): "
            "missing conv2.weight; unexpected foo.bar; "
            "shape mismatch fc.weight: expected [1,8], found [2,8]");
}

TEST(StateDictCheck, ListsAllMissingKeysInOrder) {
  StateDict state_dict = tiny_ladeda_state_dict();
  erase_entry(state_dict, "layer1.0.bn2.running_var");
  erase_entry(state_dict, "conv1.weight");
  EXPECT_EQ(missing_keys(build_error("tiny_ladeda", state_dict)),
            (std::vector<std::string>{"conv1.weight", "layer1.0.bn2.running_var"}));
}

TEST(StateDictCheck, BatchCountersAreOptionalAndIgnored) {
  StateDict state_dict = tiny_ladeda_state_dict();
  std::erase_if(state_dict.entries, [](const auto& entry) { return entry.first.ends_with("num_batches_tracked"); });
  EXPECT_NO_THROW(build_model(ArchSpec::parse("tiny_ladeda"), state_dict));
  state_dict.entries.emplace_back("num_batches_tracked", Tensor::from_vector<std::int64_t>({}, {1}));
  EXPECT_NO_THROW(build_model(ArchSpec::parse("tiny_ladeda"), state_dict));
}

TEST(StateDictCheck, OtherFloatTypesBecomeFloat32) {
  StateDict state_dict = tiny_ladeda_state_dict();
  Tensor& conv1 = *find_entry(state_dict, "conv1.weight");
  const std::vector<float> original(conv1.data<float>(), conv1.data<float>() + conv1.numel());
  std::vector<double> as_double(original.begin(), original.end());
  conv1 = Tensor::from_vector(conv1.shape(), as_double);

  Tensor& conv2 = *find_entry(state_dict, "conv2.weight");
  Tensor half(DType::Float16, conv2.shape());
  std::vector<float> expected_half;
  for (std::int64_t i = 0; i < conv2.numel(); ++i) {
    const std::uint16_t bits = float_to_half(conv2.data<float>()[i]);
    reinterpret_cast<std::uint16_t*>(half.raw())[i] = bits;
    expected_half.push_back(half_to_float(bits));
  }
  conv2 = half;

  // bfloat16 is the upper half of a float32: 1.5 and -0.25 are exact.
  Tensor bfloat(DType::BFloat16, {1});
  reinterpret_cast<std::uint16_t*>(bfloat.raw())[0] = 0x3FC0;
  *find_entry(state_dict, "fc.bias") = bfloat;

  const Graph graph = build_model(ArchSpec::parse("tiny_ladeda"), state_dict);
  const Tensor& got1 = graph.constant(graph.find_value("conv1.weight"));
  ASSERT_EQ(got1.dtype(), DType::Float32);
  EXPECT_EQ(std::vector<float>(got1.data<float>(), got1.data<float>() + got1.numel()), original);
  const Tensor& got2 = graph.constant(graph.find_value("conv2.weight"));
  ASSERT_EQ(got2.dtype(), DType::Float32);
  EXPECT_EQ(std::vector<float>(got2.data<float>(), got2.data<float>() + got2.numel()), expected_half);
  const Tensor& bias = graph.constant(graph.find_value("fc.bias"));
  ASSERT_EQ(bias.dtype(), DType::Float32);
  EXPECT_EQ(bias.data<float>()[0], 1.5f);
}

TEST(StateDictCheck, IntegerWeightsAreRejected) {
  StateDict state_dict = tiny_ladeda_state_dict();
  *find_entry(state_dict, "conv1.weight") = Tensor(DType::Int8, {8, 3, 1, 1});
  EXPECT_EQ(build_error("tiny_ladeda", state_dict),
            "state_dict does not match tiny_ladeda (1 of the wrong shape or type): dtype mismatch conv1.weight: expected a floating-point tensor, "
            "found int8");
}

TEST(StateDictCheck, MessageNamesTheSpecGiven) {
  StateDict state_dict = tiny_ladeda_state_dict();
  state_dict.entries.emplace_back("extra", Tensor(DType::Float32, {1}));
  EXPECT_EQ(build_error("tiny_ladeda:pool=true", state_dict),
            "state_dict does not match tiny_ladeda:pool=true (1 unexpected): unexpected extra");
}

TEST(StateDictCheck, PooledClassifierChecksTheLinearShape) {
  StateDict state_dict = tiny_ladeda_state_dict();
  *find_entry(state_dict, "fc.bias") = Tensor(DType::Float32, {3});
  EXPECT_EQ(build_error("tiny_ladeda:pool=true", state_dict),
            "state_dict does not match tiny_ladeda:pool=true (1 of the wrong shape or type): shape mismatch fc.bias: expected [1], found [3]");
}

TEST(StateDictCheck, Resnet18NeedsTorchvisionsKeys) {
  const std::vector<std::string> missing = missing_keys(build_error("resnet18", StateDict{}));
  // torchvision 0.14: 122 state_dict entries, 20 of them num_batches_tracked.
  EXPECT_EQ(missing.size(), 102u);
  for (const std::string key : {"conv1.weight", "bn1.running_var", "layer1.1.conv2.weight",
                                "layer2.0.downsample.0.weight", "layer4.0.downsample.1.bias", "fc.weight", "fc.bias"}) {
    EXPECT_NE(std::find(missing.begin(), missing.end(), key), missing.end()) << key;
  }
  EXPECT_EQ(std::find(missing.begin(), missing.end(), "layer1.0.downsample.0.weight"), missing.end());
}

TEST(StateDictCheck, MobilenetV2NeedsTorchvisionsKeys) {
  const std::vector<std::string> missing = missing_keys(build_error("mobilenet_v2", StateDict{}));
  // torchvision 0.14: 314 state_dict entries, 52 of them num_batches_tracked.
  EXPECT_EQ(missing.size(), 262u);
  for (const std::string key : {"features.0.0.weight", "features.0.1.running_mean", "features.1.conv.0.0.weight",
                                "features.1.conv.1.weight", "features.1.conv.2.bias", "features.2.conv.0.0.weight",
                                "features.2.conv.3.running_var", "features.17.conv.2.weight", "features.18.0.weight",
                                "classifier.1.weight", "classifier.1.bias"}) {
    EXPECT_NE(std::find(missing.begin(), missing.end(), key), missing.end()) << key;
  }
  EXPECT_EQ(std::find(missing.begin(), missing.end(), "features.1.conv.3.weight"), missing.end());
}

TEST(StateDictCheck, NumClassesComesFromTheOptionOrTheWeights) {
  StateDict state_dict;
  state_dict.entries.emplace_back("fc.weight", Tensor(DType::Float32, {10, 512}));
  std::string message = build_error("resnet18", state_dict);
  EXPECT_EQ(message.find("fc.weight"), std::string::npos) << "fc.weight [10,512] fits 10 classes: " << message;
  EXPECT_NE(message.find("missing conv1.weight"), std::string::npos);
  EXPECT_NE(message.find("fc.bias"), std::string::npos);

  message = build_error("resnet18:num_classes=1000", state_dict);
  EXPECT_NE(message.find("shape mismatch fc.weight: expected [1000,512], found [10,512]"), std::string::npos)
      << message;
}

TEST(InferArchitecture, FindsTinyLaDeDaWithDefaults) {
  const std::optional<ArchSpec> spec = infer_architecture(tiny_ladeda_state_dict());
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->name, "tiny_ladeda");
  EXPECT_EQ(spec->options, (std::map<std::string, std::string>{{"pool", "false"}, {"preprocess", "right_diag"}}));
}

TEST(InferArchitecture, ShapeMismatchStillNamesTheArchitecture) {
  StateDict state_dict = tiny_ladeda_state_dict();
  *find_entry(state_dict, "fc.weight") = Tensor(DType::Float32, {2, 8});
  ASSERT_TRUE(infer_architecture(state_dict).has_value());
}

TEST(InferArchitecture, NoneForForeignOrPartialKeySets) {
  EXPECT_FALSE(infer_architecture(StateDict{}).has_value());
  StateDict partial = tiny_ladeda_state_dict();
  erase_entry(partial, "fc.bias");
  EXPECT_FALSE(infer_architecture(partial).has_value());
  StateDict extra = tiny_ladeda_state_dict();
  extra.entries.emplace_back("head.weight", Tensor(DType::Float32, {1}));
  EXPECT_FALSE(infer_architecture(extra).has_value());
}

}  // namespace
}  // namespace edgeport
