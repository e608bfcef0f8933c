#pragma once

#include <filesystem>
#include <list>
#include <vector>

#include "core/signal_cleanup.h"

namespace edgeport {

// Makes a folder and its missing parents, and remembers which of them this
// run made: unless keep() is called, those are removed again on destruction
// and on SIGINT, SIGTERM or SIGHUP, innermost first and only while empty, so
// that a failed run leaves no folder behind yet never removes what someone
// else put there meanwhile. An Error when the folder cannot be made.
class CreatedFolders {
 public:
  explicit CreatedFolders(const std::filesystem::path& folder);
  ~CreatedFolders();
  CreatedFolders(const CreatedFolders&) = delete;
  CreatedFolders& operator=(const CreatedFolders&) = delete;

  void keep();

 private:
  void remove_empty();

  std::vector<std::filesystem::path> created_;  // outermost first
  std::list<CleanupOnSignal> cleanup_;
};

}  // namespace edgeport
