#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>

namespace edgeport {

// A path that SIGINT, SIGTERM or SIGHUP must not leave behind, registered for
// as long as this object lives.
//
// The first registration or defer() installs a handler for the signals (except
// one the process was started ignoring, as under nohup) that only writes the
// signal number to a pipe: a handler may run in the middle of malloc or of a
// rename, so it calls nothing that is not async-signal-safe, and removing a
// folder tree is not. A watcher thread reads the pipe, removes the paths still
// registered, newest first, says so on stderr and ends the process with exit
// code 128 + signal. The handlers stay installed afterwards: a signal with
// nothing registered ends the process with the same code.
class CleanupOnSignal {
 public:
  enum class Kind {
    File,         // unlinked
    Tree,         // removed with everything in it
    EmptyFolder,  // removed only when empty: it may hold what is not ours
  };
  CleanupOnSignal(std::filesystem::path path, Kind kind);
  ~CleanupOnSignal();
  CleanupOnSignal(const CleanupOnSignal&) = delete;
  CleanupOnSignal& operator=(const CleanupOnSignal&) = delete;

  // While the returned lock is held the watcher waits, so a signal cannot
  // interrupt a change to registered paths half-way: the creation of a path
  // and its registration, a file created inside a registered folder, a
  // commit that moves files out and may have to move them back. The lock is
  // recursive: registering while holding it is fine.
  [[nodiscard]] static std::unique_lock<std::recursive_mutex> defer();

 private:
  std::uint64_t id_;
};

}  // namespace edgeport
