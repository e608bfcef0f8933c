#include "core/signal_cleanup.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"

namespace edgeport {

namespace {

struct Entry {
  std::uint64_t id;
  std::filesystem::path path;
  CleanupOnSignal::Kind kind;
};

struct Registry {
  std::recursive_mutex mutex;
  std::vector<Entry> entries;
  std::uint64_t next_id = 0;
  std::once_flag installed;
};

// Never destroyed: the watcher may still need it while the main thread runs
// the static destructors of exit().
Registry& registry() {
  static Registry* const instance = new Registry;
  return *instance;
}

std::atomic<int> signal_pipe{-1};  // the write end, for the handler
static_assert(std::atomic<int>::is_always_lock_free, "the handler reads it");

void on_signal(int signal) {
  const int saved_errno = errno;
  const unsigned char number = static_cast<unsigned char>(signal);
  // The write end does not block: when the pipe is full a signal is already
  // on its way to the watcher.
  [[maybe_unused]] const ssize_t written = ::write(signal_pipe.load(), &number, 1);
  errno = saved_errno;
}

void remove_entry(const Entry& entry) {
  std::error_code ignored;
  switch (entry.kind) {
    case CleanupOnSignal::Kind::File:
      std::filesystem::remove(entry.path, ignored);
      break;
    case CleanupOnSignal::Kind::Tree:
      std::filesystem::remove_all(entry.path, ignored);
      break;
    case CleanupOnSignal::Kind::EmptyFolder:
      ::rmdir(entry.path.c_str());
      break;
  }
}

[[noreturn]] void clean_up_and_exit(int signal) {
  Registry& state = registry();
  // Held until _exit: a commit in progress finishes first, and the main
  // thread cannot start another change meanwhile.
  state.mutex.lock();
  for (auto entry = state.entries.rbegin(); entry != state.entries.rend(); ++entry) remove_entry(*entry);
  const char* name = ::sigabbrev_np(signal);
  const std::string message = "edgeport: stopped by SIG" + std::string(name ? name : "?") + "\n";
  [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, message.data(), message.size());
  ::_exit(128 + signal);
}

constexpr int kHandled[] = {SIGINT, SIGTERM, SIGHUP};

void watch(int read_end) {
  unsigned char number = 0;
  ssize_t got = 0;
  while ((got = ::read(read_end, &number, 1)) < 0 && errno == EINTR) {
  }
  if (got == 1) clean_up_and_exit(number);
  // The write end never closes, so reads do not fail; if one ever did, the
  // signals would vanish into the pipe. They end the process as before instead.
  for (int signal : kHandled) {
    struct sigaction current {};
    ::sigaction(signal, nullptr, &current);
    if (current.sa_handler == on_signal) ::signal(signal, SIG_DFL);
  }
}

void install() {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0 || ::fcntl(ends[1], F_SETFL, O_NONBLOCK) != 0) {
    throw Error(std::string("cannot set up the clean-up on signals (") + ::strerror(errno) + ")");
  }
  signal_pipe.store(ends[1]);
  std::thread(watch, ends[0]).detach();
  for (int signal : kHandled) {
    struct sigaction current {};
    ::sigaction(signal, nullptr, &current);
    if (current.sa_handler == SIG_IGN) continue;
    struct sigaction action {};
    action.sa_handler = on_signal;
    ::sigfillset(&action.sa_mask);
    // The main thread's reads and writes resume instead of failing with EINTR.
    action.sa_flags = SA_RESTART;
    ::sigaction(signal, &action, nullptr);
  }
}

// Installed before the first path exists: a signal between making a path
// and registering it would otherwise find no handler and end the process.
Registry& installed_registry() {
  Registry& state = registry();
  std::call_once(state.installed, install);
  return state;
}

}  // namespace

CleanupOnSignal::CleanupOnSignal(std::filesystem::path path, Kind kind) {
  Registry& state = installed_registry();
  const std::lock_guard lock(state.mutex);
  id_ = state.next_id++;
  state.entries.push_back({id_, std::move(path), kind});
}

CleanupOnSignal::~CleanupOnSignal() {
  Registry& state = registry();
  const std::lock_guard lock(state.mutex);
  std::erase_if(state.entries, [this](const Entry& entry) { return entry.id == id_; });
}

std::unique_lock<std::recursive_mutex> CleanupOnSignal::defer() {
  return std::unique_lock(installed_registry().mutex);
}

}  // namespace edgeport
