#include <gtest/gtest.h>

#include <limits>

#include "checkpoint_builder.h"
#include "core/error.h"
#include "pytorch/state_dict.h"

namespace edgeport {
namespace {

using testing::operator+;
using testing::Bytes;
using testing::float_tensor;

StateDict load_one(const Bytes& tensor, const std::vector<std::pair<std::string, int>>& storages) {
  return load_state_dict_from_bytes(testing::make_checkpoint(testing::dict_pickle({{"w", tensor}}), storages),
                                    "hand.pt");
}

std::string load_error(const Bytes& tensor, const std::vector<std::pair<std::string, int>>& storages) {
  try {
    load_one(tensor, storages);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

std::vector<float> values(const StateDict& state_dict) {
  const auto span = state_dict.entries.at(0).second.values<float>();
  return {span.begin(), span.end()};
}

TEST(TensorBounds, StridesAndOffsetsSelectTheRightElements) {
  EXPECT_EQ(values(load_one(float_tensor("0", 6, 0, {2, 3}, {1, 2}), {{"0", 6}})),
            (std::vector<float>{0, 2, 4, 1, 3, 5}));
  EXPECT_EQ(values(load_one(float_tensor("0", 10, 3, {2, 2}, {4, 2}), {{"0", 10}})),
            (std::vector<float>{3, 5, 7, 9}));
  EXPECT_EQ(values(load_one(float_tensor("0", 4, 1, {2, 3}, {0, 1}), {{"0", 4}})),
            (std::vector<float>{1, 2, 3, 1, 2, 3}));
  EXPECT_EQ(values(load_one(float_tensor("0", 4, 3, {}, {}), {{"0", 4}})), (std::vector<float>{3}));
  const std::int64_t largest = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(values(load_one(float_tensor("0", 4, 1, {1, 2, 1}, {largest, 2, largest}), {{"0", 4}})),
            (std::vector<float>{1, 3}));
  const StateDict empty = load_one(float_tensor("0", 0, 0, {0, 5}, {5, 1}), {{"0", 0}});
  EXPECT_EQ(empty.entries.at(0).second.shape(), (Shape{0, 5}));
}

TEST(TensorBounds, ViewsReachingPastTheStorageAreRefused) {
  EXPECT_NE(load_error(float_tensor("0", 4, 2, {3}, {1}), {{"0", 4}}).find("reaches element 4"), std::string::npos);
  EXPECT_NE(load_error(float_tensor("0", 4, 0, {2, 2}, {3, 1}), {{"0", 4}}).find("reaches element"),
            std::string::npos);
  EXPECT_NE(load_error(float_tensor("0", 4, 4, {}, {}), {{"0", 4}}).find("reaches element"), std::string::npos);
  EXPECT_NE(load_error(float_tensor("0", 4, -1, {1}, {1}), {{"0", 4}}).find("negative"), std::string::npos);
  EXPECT_NE(load_error(float_tensor("0", 4, 0, {2}, {-1}), {{"0", 4}}).find("negative"), std::string::npos);
  EXPECT_NE(load_error(float_tensor("0", 4, 0, {-2}, {1}), {{"0", 4}}).find("negative"), std::string::npos);
}

TEST(TensorBounds, ArithmeticOverflowIsRefused) {
  const std::int64_t huge = std::int64_t{1} << 40;
  EXPECT_NE(load_error(float_tensor("0", 4, 0, {huge, huge}, {0, 0}), {{"0", 4}}).find("overflow"),
            std::string::npos);
  EXPECT_NE(load_error(float_tensor("0", 4, 0, {2}, {std::int64_t{1} << 62}), {{"0", 4}}).find("reaches element"),
            std::string::npos);
  EXPECT_NE(load_error(float_tensor("0", 4, 0, {3}, {std::int64_t{1} << 62}), {{"0", 4}}).find("overflow"),
            std::string::npos);
  EXPECT_NE(load_error(float_tensor("0", std::int64_t{1} << 62, 0, {1}, {1}), {{"0", 4}}).find("takes the storages past"),
            std::string::npos);
}

TEST(TensorBounds, ExpansionBeyondWhatTheArchiveJustifiesIsRefused) {
  const std::int64_t side = std::int64_t{1} << 20;
  EXPECT_NE(load_error(float_tensor("0", 1, 0, {side, side}, {0, 0}), {{"0", 1}}).find("more than the checkpoint"),
            std::string::npos);
}

TEST(TensorBounds, StorageRecordMustMatchItsDeclaredSize) {
  EXPECT_NE(load_error(float_tensor("0", 8, 0, {4}, {1}), {{"0", 4}}).find("holds 16 bytes, expected 32"),
            std::string::npos);
  EXPECT_NE(load_error(float_tensor("1", 4, 0, {4}, {1}), {{"0", 4}}).find("missing record 'archive/data/1'"),
            std::string::npos);
}

TEST(TensorBounds, RebuildArgumentsAreTypeChecked) {
  const Bytes rebuild = testing::global_op("torch._utils", "_rebuild_tensor_v2");
  const Bytes hooks = Bytes{0x89} + testing::global_op("collections", "OrderedDict") + testing::raw(")R");
  EXPECT_THROW(load_one(rebuild + testing::raw("(N") + testing::int_op(0) + testing::int_tuple({1}) +
                            testing::int_tuple({1}) + hooks + testing::raw("tR"),
                        {}),
               Error);
  EXPECT_NE(load_error(float_tensor("0", 4, 0, {2, 2}, {1}), {{"0", 4}}).find("2 sizes but 1 strides"),
            std::string::npos);
}

}  // namespace
}  // namespace edgeport
