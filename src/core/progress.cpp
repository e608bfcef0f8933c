#include "core/progress.h"

#include <algorithm>
#include <vector>

namespace edgeport {

struct ProgressStack {
  ProgressListener* listener = nullptr;
  std::vector<ProgressScope*> scopes;  // outermost first
  std::uint64_t opened = 0;

  void report() const {
    if (!listener || scopes.empty()) return;
    double fraction = 0;
    for (auto scope = scopes.rbegin(); scope != scopes.rend(); ++scope) {
      const ProgressScope& current = **scope;
      fraction = current.steps_ == 0
                     ? 1.0
                     : std::min(1.0, (static_cast<double>(current.done_) + fraction) / static_cast<double>(current.steps_));
    }
    const ProgressScope& outermost = *scopes.front();
    const ProgressScope& innermost = *scopes.back();
    std::optional<ProgressCount> inner;
    if (scopes.size() > 1) inner = ProgressCount{innermost.label_, innermost.done_, innermost.steps_};
    listener->on_progress(
        {{outermost.label_, outermost.done_, outermost.steps_}, std::move(inner), outermost.serial_, fraction});
  }
};

namespace {

thread_local ProgressStack stack;

}  // namespace

ProgressScope::ProgressScope(std::string label, std::size_t steps)
    : label_(std::move(label)), steps_(steps), serial_(++stack.opened) {
  stack.scopes.push_back(this);
  stack.report();
}

ProgressScope::~ProgressScope() {
  // Scopes close in the reverse order of opening (they live on the stack).
  if (!stack.scopes.empty() && stack.scopes.back() == this) stack.scopes.pop_back();
}

void ProgressScope::step() {
  ++done_;
  stack.report();
}

ProgressListening::ProgressListening(ProgressListener& listener) : previous_(stack.listener) {
  stack.listener = &listener;
}

ProgressListening::~ProgressListening() { stack.listener = previous_; }

}  // namespace edgeport
