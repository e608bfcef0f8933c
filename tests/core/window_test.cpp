// The window rules every format shares, on cases worked by hand from the ONNX
// Conv/MaxPool specification (SAME_UPPER/SAME_LOWER) and PyTorch's ceil_mode.
#include <gtest/gtest.h>

#include "core/window.h"

namespace edgeport {
namespace {

TEST(Window, SamePaddingPutsTheOddUnitWhereAsked) {
  // 5 wide, kernel 4, stride 1: output 5, total padding 3.
  const AxisPadding after = same_padding(5, 4, 1, 1, OddPadding::After);
  EXPECT_EQ(after.begin, 1);
  EXPECT_EQ(after.end, 2);
  const AxisPadding before = same_padding(5, 4, 1, 1, OddPadding::Before);
  EXPECT_EQ(before.begin, 2);
  EXPECT_EQ(before.end, 1);
}

TEST(Window, SamePaddingWithStrideAndDilation) {
  // 7 wide, kernel 3 dilated by 2 (span 5), stride 2: output 4, total (4-1)*2+5-7 = 4.
  const AxisPadding padding = same_padding(7, 3, 2, 2, OddPadding::After);
  EXPECT_EQ(padding.begin, 2);
  EXPECT_EQ(padding.end, 2);
  EXPECT_EQ(window_output_extent(7, 3, 2, 2, padding), 4);
  // Stride larger than the kernel: no padding at all.
  const AxisPadding none = same_padding(8, 1, 4, 1, OddPadding::After);
  EXPECT_EQ(none.begin + none.end, 0);
}

TEST(Window, OutputExtentFloorAndCeil) {
  EXPECT_EQ(window_span(3, 2), 5);
  EXPECT_EQ(window_output_extent(6, 3, 2, 1, {0, 0}), 2);
  EXPECT_EQ(window_output_extent(6, 3, 2, 1, {0, 0}, true), 3);
  // ceil_mode never starts a window inside the end padding: 5 wide, kernel 2,
  // stride 2, padding 1 each side gives 3 windows, not 4.
  EXPECT_EQ(window_output_extent(5, 2, 2, 1, {1, 1}, true), 3);
  EXPECT_EQ(window_output_extent(2, 3, 1, 1, {0, 0}), 0);
}

}  // namespace
}  // namespace edgeport
