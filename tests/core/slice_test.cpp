#include <gtest/gtest.h>

#include "core/error.h"
#include "core/graph.h"

namespace edgeport {
namespace {

Attributes slice_attrs(std::vector<std::int64_t> starts, std::vector<std::int64_t> ends, std::vector<std::int64_t> axes) {
  Attributes attrs;
  attrs.set("starts", std::move(starts));
  attrs.set("ends", std::move(ends));
  attrs.set("axes", std::move(axes));
  return attrs;
}

TEST(Slice, FollowsOnnxIndexRules) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 8, 10, 10});
  EXPECT_EQ(graph.value(graph.add("Slice", "crop", {x}, slice_attrs({0, 0}, {-1, -1}, {2, 3}))).shape,
            (Shape{1, 8, 9, 9}));
  EXPECT_EQ(graph.value(graph.add("Slice", "clamped", {x}, slice_attrs({-100, 4}, {100, 2}, {-1, 1}))).shape,
            (Shape{1, 0, 10, 10}));
}

std::string slice_error(Attributes attrs) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 8, 10, 10});
  try {
    graph.add("Slice", "crop", {x}, std::move(attrs));
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "accepted";
  return "";
}

TEST(Slice, RejectsWhatItCannotRunNamingTheNode) {
  Attributes strided = slice_attrs({0}, {4}, {2});
  strided.set("steps", std::vector<std::int64_t>{2});
  EXPECT_EQ(slice_error(strided), "node 'crop' (Slice): step 2 is not supported (only 1)");
  EXPECT_EQ(slice_error(slice_attrs({0}, {4}, {4})), "node 'crop' (Slice): axis 4 is out of range for rank 4");
  EXPECT_EQ(slice_error(slice_attrs({0, 1}, {4, 5}, {2, -2})), "node 'crop' (Slice): axis 2 is sliced twice");
  EXPECT_EQ(slice_error(slice_attrs({0, 1}, {4}, {2, 3})),
            "node 'crop' (Slice): starts, ends, axes and steps differ in length");
}

}  // namespace
}  // namespace edgeport
