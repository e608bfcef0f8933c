#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace edgeport {

// How far a long loop has got, for whoever shows it. A loop declares its
// steps with a ProgressScope and counts them; a scope opened during a step
// subdivides that step. A listener installed on the thread hears, at every
// step, the outermost and the innermost open scopes' labels and counts and
// the fraction of the outermost done, inner scopes included. With no listener a step costs a thread-local
// read. Scopes belong to the thread that opened them; worker threads open
// none. A scope of one step names a phase of work whose inner loops count.
struct ProgressCount {
  std::string label;  // e.g. "inputs", "layers"
  std::size_t done = 0;
  std::size_t total = 0;
};

struct ProgressReport {
  ProgressCount outermost;
  std::optional<ProgressCount> innermost;  // when another scope is open inside the outermost
  std::uint64_t scope = 0;  // changes whenever a new outermost scope opens
  double fraction = 0;      // of the outermost scope, in [0,1]
};

class ProgressListener {
 public:
  virtual ~ProgressListener() = default;
  virtual void on_progress(const ProgressReport& report) = 0;
};

class ProgressScope {
 public:
  ProgressScope(std::string label, std::size_t steps);
  ~ProgressScope();
  ProgressScope(const ProgressScope&) = delete;
  ProgressScope& operator=(const ProgressScope&) = delete;

  // One more step done.
  void step();

 private:
  friend struct ProgressStack;
  std::string label_;
  std::size_t steps_;
  std::size_t done_ = 0;
  std::uint64_t serial_ = 0;
};

// Runs `work` as a phase named `label`: a scope of one step, which the
// loops inside it fill.
template <typename Work>
auto progress_phase(const std::string& label, Work&& work) {
  ProgressScope phase(label, 1);
  return work();
}

// Makes `listener` hear this thread's scopes while it lives.
class ProgressListening {
 public:
  explicit ProgressListening(ProgressListener& listener);
  ~ProgressListening();
  ProgressListening(const ProgressListening&) = delete;
  ProgressListening& operator=(const ProgressListening&) = delete;

 private:
  ProgressListener* previous_;
};

}  // namespace edgeport
