#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace edgeport {

// One run of a Node.js oracle script (ort_run.js, litert_run.js).
struct OracleCommand {
  std::filesystem::path node = "node";  // looked up on PATH when it has no '/'
  std::filesystem::path script;
  std::vector<std::string> arguments;
  std::filesystem::path stdout_file;
  std::filesystem::path stderr_file;  // may be stdout_file: one log for both
};

// Runs the script under node as a child process without a shell, so every
// argument reaches the script exactly as given (spaces, quotes, $, ;).
// Returns node's exit status, 128 + the signal number when a signal ended
// it; an Error when node cannot be started or an output file opened.
int run_oracle_script(const OracleCommand& command);

// The last non-empty line of a log: where the oracles put their one-line
// summary of a failure. Empty when the file is missing or blank.
std::string last_nonempty_line(const std::filesystem::path& file);

}  // namespace edgeport
