#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>
#include <string>

#include "core/process_identity.h"

namespace edgeport::testing {

// A child process that tells its process_identity() and then sleeps until
// killed; killing and reaping it makes that identity one of an ended process.
class ChildProcess {
 public:
  ChildProcess() {
    int ends[2];
    if (::pipe(ends) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ == 0) {
      try {
        const std::string identity = process_identity();
        [[maybe_unused]] const ssize_t written = ::write(ends[1], identity.data(), identity.size());
      } catch (...) {
        ::_exit(1);  // never back into the test runner
      }
      ::close(ends[1]);
      for (;;) ::pause();
    }
    ::close(ends[1]);
    char buffer[512];
    for (ssize_t got; (got = ::read(ends[0], buffer, sizeof buffer)) > 0;) identity_.append(buffer, got);
    ::close(ends[0]);
  }
  ~ChildProcess() { end(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  const std::string& identity() const { return identity_; }
  pid_t pid() const { return pid_; }

  // Kills and reaps the child: its pid is then free.
  void end() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  std::string identity_;
};

// `identity` with its field `from_right` replaced (0: start time, 1: pid,
// 2: boot id, 3: host, which may hold '-' itself).
inline std::string with_field(const std::string& identity, int from_right, const std::string& value) {
  std::size_t end = identity.size();
  for (int field = 0; field < from_right; ++field) end = identity.rfind('-', end - 1);
  const std::size_t begin = from_right == 3 ? 0 : identity.rfind('-', end - 1) + 1;
  return identity.substr(0, begin) + value + identity.substr(end);
}

// The identity of a process that has ended.
inline std::string ended_process_identity() {
  ChildProcess child;
  child.end();
  return child.identity();
}

}  // namespace edgeport::testing
