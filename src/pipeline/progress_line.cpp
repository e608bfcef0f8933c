#include "pipeline/progress_line.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <iostream>

namespace edgeport {

namespace {

// Carriage return, then erase to the end of the line (ECMA-48 EL).
constexpr const char* kClearLine = "\r\033[K";

// "inputs 5/12"; a phase of one step is named alone.
std::string describe(const ProgressCount& count) {
  if (count.total == 1) return count.label;
  return count.label + " " + std::to_string(count.done) + "/" + std::to_string(count.total);
}

}  // namespace

void ProgressLine::start(const std::string& prefix) {
  erase();
  prefix_ = prefix;
  stage_start_ = now_();
  scope_ = 0;
  active_ = true;
}

void ProgressLine::stop() {
  erase();
  active_ = false;
}

void ProgressLine::on_progress(const ProgressReport& report) {
  if (!active_) return;
  const Clock::time_point now = now_();
  if (report.scope != scope_) {
    scope_ = report.scope;
    scope_start_ = now;
  }
  if (now - stage_start_ < kQuietTime || (drawn_ && now - last_draw_ < kRedrawInterval)) return;
  std::string text = "      " + prefix_ + ": " + describe(report.outermost);
  if (report.innermost) text += " (" + describe(*report.innermost) + ")";
  const double elapsed = std::chrono::duration<double>(now - scope_start_).count();
  if (elapsed >= 1.0 && report.fraction > 0.0 && report.fraction < 1.0) {
    text += ", " + format_time_left(elapsed * (1.0 - report.fraction) / report.fraction);
  }
  if (columns_ > 1 && text.size() >= static_cast<std::size_t>(columns_)) text.resize(static_cast<std::size_t>(columns_ - 1));
  terminal_ << kClearLine << text << std::flush;
  drawn_ = true;
  last_draw_ = now;
}

void ProgressLine::erase() {
  if (!drawn_) return;
  terminal_ << kClearLine << std::flush;
  drawn_ = false;
}

std::string format_time_left(double seconds) {
  const auto whole = static_cast<long>(std::ceil(seconds));
  if (whole < 120) return "about " + std::to_string(whole) + " s left";
  return "about " + std::to_string((whole + 59) / 60) + " min left";
}

std::ostream* terminal_stderr() { return ::isatty(STDERR_FILENO) ? &std::cerr : nullptr; }

int terminal_columns() {
  winsize size{};
  return ::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 ? size.ws_col : 80;
}

}  // namespace edgeport
