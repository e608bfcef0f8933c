#include <gtest/gtest.h>

#include <sstream>

#include "core/progress.h"
#include "pipeline/progress_line.h"
#include "pipeline/stage_printer.h"

namespace edgeport {
namespace {

using namespace std::chrono_literals;

// A clock the test moves by hand.
struct FakeClock {
  ProgressLine::Clock::time_point now{};
  std::function<ProgressLine::Clock::time_point()> function() {
    return [this] { return now; };
  }
};

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t found = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++found;
  return found;
}

// Nothing in the first two seconds of a stage; then the open loop's count
// and the time left, from its own pace: 5 of 20 steps in 10 s leaves 30 s.
TEST(ProgressLine, ShowsTheCountAndTheTimeLeftAfterTwoSeconds) {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressLine line(terminal, 80, clock.function());
  ProgressListening listening(line);
  line.start("[2/5] quantize weights");
  ProgressScope scope("layers", 20);
  clock.now += 1s;
  scope.step();
  EXPECT_EQ(terminal.str(), "");
  for (int i = 0; i < 4; ++i) {
    clock.now += 2250ms;
    scope.step();
  }
  EXPECT_NE(terminal.str().find("\r\033[K      [2/5] quantize weights: layers 5/20, about 30 s left"),
            std::string::npos)
      << terminal.str();
  line.stop();
  EXPECT_EQ(terminal.str().substr(terminal.str().size() - 4), "\r\033[K");
}

// A loop inside a step counts as part of that step.
TEST(ProgressLine, InnerLoopsFillTheirStep) {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressLine line(terminal, 80, clock.function());
  ProgressListening listening(line);
  line.start("[5/5] verify");
  ProgressScope files("files", 4);
  clock.now += 1s;
  ProgressScope inputs("inputs", 12);
  for (int i = 0; i < 5; ++i) inputs.step();
  clock.now += 2s;
  inputs.step();
  // Half of the first of four files in 3 s: 21 s to go.
  EXPECT_NE(terminal.str().find("[5/5] verify: files 0/4 (inputs 6/12), about 21 s left"), std::string::npos)
      << terminal.str();
}

// At most one redraw per interval, however fast the steps come.
TEST(ProgressLine, RedrawsAtMostFourTimesASecond) {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressLine line(terminal, 80, clock.function());
  ProgressListening listening(line);
  line.start("[1/5] load");
  clock.now += 3s;
  ProgressScope scope("inputs", 1000);
  for (int i = 0; i < 1000; ++i) {
    clock.now += 1ms;
    scope.step();
  }
  // One second of steps: the first draw, then one every 250 ms.
  EXPECT_LE(count(terminal.str(), "\r\033[K"), 5u);
  EXPECT_GE(count(terminal.str(), "\r\033[K"), 4u);
}

// A line never wraps: it could not be redrawn in place.
TEST(ProgressLine, IsCutToTheTerminalsWidth) {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressLine line(terminal, 30, clock.function());
  ProgressListening listening(line);
  line.start("[1/5] load a/very/long/path/to/a/checkpoint.pt");
  clock.now += 3s;
  ProgressScope scope("inputs", 12);
  scope.step();
  const std::string drawn = terminal.str().substr(4);
  EXPECT_EQ(drawn.size(), 29u) << drawn;
}

// A phase of one step is named without a count; its loops fill it.
TEST(ProgressLine, PhasesAreNamedAndFilledByTheirLoops) {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressLine line(terminal, 80, clock.function());
  ProgressListening listening(line);
  line.start("[2/5] quantize");
  clock.now += 2s;
  const int runs = progress_phase("TFLite forms", [&] {
    ProgressScope inputs("inputs", 4);
    clock.now += 2s;
    inputs.step();
    return 1;
  });
  EXPECT_EQ(runs, 1);
  EXPECT_NE(terminal.str().find("[2/5] quantize: TFLite forms (inputs 1/4), about 6 s left"), std::string::npos)
      << terminal.str();
}

TEST(ProgressLine, TimeLeftIsRoundedUpInSecondsThenMinutes) {
  EXPECT_EQ(format_time_left(0.2), "about 1 s left");
  EXPECT_EQ(format_time_left(41.5), "about 42 s left");
  EXPECT_EQ(format_time_left(119.0), "about 119 s left");
  EXPECT_EQ(format_time_left(150.0), "about 3 min left");
}

// Without a terminal the stages print as before and nothing else: what a
// log or a pipe receives.
TEST(StagePrinter, WithoutATerminalPrintsNoProgress) {
  std::ostringstream out;
  {
    StagePrinter stages(out, false, 1);
    stages.begin("load model.pt");
    ProgressScope scope("inputs", 3);
    for (int i = 0; i < 3; ++i) scope.step();
    stages.end();
  }
  EXPECT_EQ(out.str().find('\r'), std::string::npos);
  EXPECT_EQ(out.str().find("inputs"), std::string::npos);
}

// Erasing removes a drawn line once; after stop nothing is drawn until the
// next stage starts.
TEST(ProgressLine, StopErasesAndSilencesUntilTheNextStage) {
  std::ostringstream terminal;
  FakeClock clock;
  ProgressLine line(terminal, 80, clock.function());
  ProgressListening listening(line);
  line.start("[1/2] load");
  clock.now += 3s;
  ProgressScope scope("inputs", 10);
  ASSERT_EQ(count(terminal.str(), "\r\033[K"), 1u);
  line.stop();
  line.erase();
  EXPECT_EQ(terminal.str(), "\r\033[K      [1/2] load: inputs 0/10\r\033[K");
  clock.now += 3s;
  scope.step();
  EXPECT_EQ(count(terminal.str(), "\r\033[K"), 2u);
  line.start("[2/2] verify");
  clock.now += 3s;
  scope.step();
  EXPECT_NE(terminal.str().find("[2/2] verify: inputs 2/10"), std::string::npos) << terminal.str();
}

}  // namespace
}  // namespace edgeport
