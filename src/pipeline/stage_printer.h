#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/progress.h"
#include "pipeline/progress_line.h"

namespace edgeport {

// Prints "[i/n] stage" as each stage of a long command begins, indented
// details while it runs and its time when it ends (nothing when quiet), and
// records every stage's time for the command's summary. Given a terminal,
// it also shows the running stage's progress there (see progress_line.h),
// quiet or not, and erases it before printing anything.
class StagePrinter {
 public:
  StagePrinter(std::ostream& out, bool quiet, int total, std::ostream* progress_terminal = nullptr);
  // A failed command leaves no progress line under its error.
  ~StagePrinter() { erase_progress(); }
  StagePrinter(const StagePrinter&) = delete;
  StagePrinter& operator=(const StagePrinter&) = delete;

  void begin(const std::string& name);
  void line(const std::string& text);
  // Text printed as it is, unless quiet.
  void block(const std::string& text);
  // Text printed as it is, quiet or not (warnings).
  void notice(const std::string& text);
  void end();

  // [{"stage": name, "ms": time}, ...] of the stages ended so far.
  const nlohmann::json& timings() const { return timings_; }
  // The stage begun and not yet ended, if any.
  std::optional<std::string> running() const { return running_ ? std::optional(name_) : std::nullopt; }
  bool started() const { return index_ > 0; }

 private:
  using Clock = std::chrono::steady_clock;

  void erase_progress();

  std::ostream& out_;
  bool quiet_;
  int total_;
  int index_ = 0;
  std::string name_;
  bool running_ = false;
  Clock::time_point start_;
  nlohmann::json timings_ = nlohmann::json::array();
  std::optional<ProgressLine> progress_;
  std::optional<ProgressListening> listening_;  // after progress_: it stops listening first
};

}  // namespace edgeport
