#include "pytorch/state_dict_unwrap.h"

#include <gtest/gtest.h>

#include "checkpoint_builder.h"
#include "core/error.h"
#include "pytorch/state_dict.h"

namespace edgeport {
namespace {

using testing::operator+;
using testing::Bytes;
using testing::float_tensor;
using testing::unicode;

StateDict load(const Bytes& pickle) {
  return load_state_dict_from_bytes(testing::make_checkpoint(pickle, {{"0", 4}}), "hand.pt");
}

std::vector<std::string> names(const StateDict& state_dict) {
  std::vector<std::string> result;
  for (const auto& [name, tensor] : state_dict.entries) result.push_back(name);
  return result;
}

TEST(Unwrap, SkipsWrapperKeysThatDoNotHoldADict) {
  const Bytes inner = Bytes{'}', '('} + unicode("module.w") + float_tensor("0", 4, 0, {4}, {1}) + Bytes{'u'};
  const Bytes pickle = testing::dict_pickle({{"model", unicode("resnet18")}, {"state_dict", inner}});
  EXPECT_EQ(names(load(pickle)), std::vector<std::string>{"w"});
}

TEST(Unwrap, IgnoresNonTensorEntriesBesideTheTensors) {
  const Bytes pickle = testing::dict_pickle({{"a", float_tensor("0", 4, 0, {2}, {1})},
                                             {"_extra", unicode("note")},
                                             {"b", float_tensor("0", 4, 2, {2}, {1})}});
  const StateDict state_dict = load(pickle);
  EXPECT_EQ(names(state_dict), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(state_dict.find("b")->data<float>()[0], 2.0f);
}

TEST(Unwrap, TensorUnderANonStringKeyIsAnError) {
  const Bytes pickle = Bytes{0x80, 2, '}', '(', 'K', 1} + float_tensor("0", 4, 0, {4}, {1}) + Bytes{'u', '.'};
  EXPECT_THROW(load(pickle), Error);
}

TEST(Unwrap, WrapperWithoutTensorsListsTheKeys) {
  const Bytes pickle = testing::dict_pickle({{"state_dict", Bytes{'}'}}, {"epoch", Bytes{'K', 3}}});
  try {
    load(pickle);
    FAIL() << "loaded a checkpoint without tensors";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), "hand.pt: checkpoint holds no tensors (entry 'state_dict' keys: none)");
  }
}

TEST(StripSharedPrefixes, RemovesDataParallelAndWrapperPrefixesRepeatedly) {
  const auto stripped = [](std::vector<std::string> names) {
    strip_shared_prefixes(names);
    return names;
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(stripped({"module.conv.weight", "module.fc.bias"}), (Names{"conv.weight", "fc.bias"}));
  EXPECT_EQ(stripped({"module.model.conv.weight", "module.model.fc.bias"}), (Names{"conv.weight", "fc.bias"}));
  EXPECT_EQ(stripped({"model.module.a", "model.module.b"}), (Names{"a", "b"}));
  EXPECT_EQ(stripped({"module.module.a"}), (Names{"a"}));
  EXPECT_EQ(stripped({"module.a", "b"}), (Names{"module.a", "b"}));
  EXPECT_EQ(stripped({"model.", "model.a"}), (Names{"model.", "model.a"}));
  EXPECT_EQ(stripped({"models.a", "models.b"}), (Names{"models.a", "models.b"}));
  EXPECT_EQ(stripped({}), Names{});
}

}  // namespace
}  // namespace edgeport
