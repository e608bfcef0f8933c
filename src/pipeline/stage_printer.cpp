#include "pipeline/stage_printer.h"

#include <iomanip>

namespace edgeport {

void StagePrinter::begin(const std::string& name) {
  name_ = name;
  running_ = true;
  start_ = Clock::now();
  if (!quiet_) out_ << "[" << ++index_ << "/" << total_ << "] " << name << "\n" << std::flush;
}

void StagePrinter::line(const std::string& text) {
  if (!quiet_) out_ << "      " << text << "\n" << std::flush;
}

void StagePrinter::end() {
  const double elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
  timings_.push_back({{"stage", name_}, {"ms", elapsed}});
  running_ = false;
  if (!quiet_) out_ << "      done in " << std::fixed << std::setprecision(1) << elapsed << " ms\n" << std::flush;
  out_ << std::defaultfloat;
}

}  // namespace edgeport
