#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/temporary_directory.h"

namespace edgeport::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs the edgeport binary built beside the tests (EDGEPORT_BIN) with the
// given shell-quoted arguments, from the source directory.
CommandResult run_edgeport(const std::string& arguments);

// The same with stdout and stderr kept apart.
struct SplitResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
SplitResult run_edgeport_split(const std::string& arguments);

std::filesystem::path source_path(const std::string& relative);

// A fresh empty directory under the system temp dir, removed on destruction.
class ScratchDir : public TemporaryDirectory {
 public:
  using TemporaryDirectory::TemporaryDirectory;
  std::string str() const { return path().string(); }
};

}  // namespace edgeport::testing
