#include "pipeline/stage_printer.h"

#include <iomanip>
#include <sstream>

namespace edgeport {

StagePrinter::StagePrinter(std::ostream& out, bool quiet, int total, std::ostream* progress_terminal)
    : out_(out), quiet_(quiet), total_(total) {
  if (!progress_terminal) return;
  progress_.emplace(*progress_terminal, terminal_columns());
  listening_.emplace(*progress_);
}

void StagePrinter::begin(const std::string& name) {
  name_ = name;
  running_ = true;
  start_ = Clock::now();
  ++index_;
  if (progress_) {
    // The stage's first word: the line has the terminal's width.
    std::ostringstream prefix;
    prefix << "[" << index_ << "/" << total_ << "] " << name.substr(0, name.find(' '));
    progress_->start(prefix.str());
  }
  if (!quiet_) out_ << "[" << index_ << "/" << total_ << "] " << name << "\n" << std::flush;
}

void StagePrinter::line(const std::string& text) {
  if (quiet_) return;
  erase_progress();
  out_ << "      " << text << "\n" << std::flush;
}

void StagePrinter::block(const std::string& text) {
  if (quiet_) return;
  erase_progress();
  out_ << text << std::flush;
}

void StagePrinter::notice(const std::string& text) {
  erase_progress();
  out_ << text << std::flush;
}

void StagePrinter::end() {
  if (progress_) progress_->stop();
  const double elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
  timings_.push_back({{"stage", name_}, {"ms", elapsed}});
  running_ = false;
  if (!quiet_) out_ << "      done in " << std::fixed << std::setprecision(1) << elapsed << " ms\n" << std::flush;
  out_ << std::defaultfloat;
}

void StagePrinter::erase_progress() {
  if (progress_) progress_->erase();
}

}  // namespace edgeport
