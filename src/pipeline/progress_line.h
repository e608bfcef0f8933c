#pragma once

#include <chrono>
#include <functional>
#include <ostream>
#include <string>

#include "core/progress.h"

namespace edgeport {

// The progress of a running stage on a terminal, one line redrawn in place:
// "      [2/5] quantize: TFLite forms (inputs 5/12), about 9 s left": the
// outermost open loop (or phase), the innermost one in parentheses, and the
// time left in the outermost. It appears once the stage has run
// kQuietTime, is redrawn at most every kRedrawInterval, and is erased before
// anything else is printed and when the stage ends, so it leaves nothing
// behind. The time left is the outermost loop's: its elapsed time scaled by
// the fraction still to do, shown once it has run a second.
class ProgressLine : public ProgressListener {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kQuietTime{2000};
  static constexpr std::chrono::milliseconds kRedrawInterval{250};

  // Lines are cut to `columns` - 1 characters: a line that wraps could not
  // be redrawn in place.
  explicit ProgressLine(std::ostream& terminal, int columns = 80,
                        std::function<Clock::time_point()> now = Clock::now)
      : terminal_(terminal), columns_(columns), now_(std::move(now)) {}

  // A stage begins; `prefix` starts every line drawn for it ("[2/5] quantize").
  void start(const std::string& prefix);
  void on_progress(const ProgressReport& report) override;
  // Removes the line if one is drawn.
  void erase();
  // The stage ended: erases the line and draws none until the next start.
  void stop();

 private:
  std::ostream& terminal_;
  int columns_;
  std::function<Clock::time_point()> now_;
  std::string prefix_;
  Clock::time_point stage_start_;
  Clock::time_point scope_start_;
  Clock::time_point last_draw_;
  std::uint64_t scope_ = 0;
  bool active_ = false;
  bool drawn_ = false;
};

// "about 9 s left", "about 3 min left"; seconds are rounded up.
std::string format_time_left(double seconds);

// Where a terminal on stderr shows progress: std::cerr when stderr is a
// terminal, nothing otherwise (logs and pipes get no progress lines).
std::ostream* terminal_stderr();
// The width of the terminal on stderr; 80 when it does not say.
int terminal_columns();

}  // namespace edgeport
