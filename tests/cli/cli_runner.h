#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace edgeport::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs the edgeport binary built beside the tests (EDGEPORT_BIN) with the
// given shell-quoted arguments, from the source directory.
CommandResult run_edgeport(const std::string& arguments);

std::filesystem::path source_path(const std::string& relative);

// A fresh empty directory under the system temp dir, removed on destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& label);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace edgeport::testing
