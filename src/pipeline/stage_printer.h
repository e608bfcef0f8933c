#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

namespace edgeport {

// Prints "[i/n] stage" as each stage of a long command begins, indented
// details while it runs and its time when it ends (nothing when quiet), and
// records every stage's time for the command's summary.
class StagePrinter {
 public:
  StagePrinter(std::ostream& out, bool quiet, int total) : out_(out), quiet_(quiet), total_(total) {}

  void begin(const std::string& name);
  void line(const std::string& text);
  void end();

  // [{"stage": name, "ms": time}, ...] of the stages ended so far.
  const nlohmann::json& timings() const { return timings_; }
  // The stage begun and not yet ended, if any.
  std::optional<std::string> running() const { return running_ ? std::optional(name_) : std::nullopt; }
  bool started() const { return index_ > 0; }

 private:
  using Clock = std::chrono::steady_clock;

  std::ostream& out_;
  bool quiet_;
  int total_;
  int index_ = 0;
  std::string name_;
  bool running_ = false;
  Clock::time_point start_;
  nlohmann::json timings_ = nlohmann::json::array();
};

}  // namespace edgeport
