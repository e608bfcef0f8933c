#include "cli_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace edgeport::testing {

namespace {

// Runs a shell command from the source directory and collects its stdout.
CommandResult run_in_source_dir(const std::string& shell_command) {
  const std::string command = "cd '" + std::string(EDGEPORT_SOURCE_DIR) + "' && " + shell_command;
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot start " + command);
  std::array<char, 4096> buffer;
  std::size_t got;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), got);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string edgeport_command(const std::string& arguments) {
  return "'" + std::string(EDGEPORT_BIN) + "' " + arguments;
}

}  // namespace

CommandResult run_edgeport(const std::string& arguments) {
  return run_in_source_dir(edgeport_command(arguments) + " 2>&1");
}

SplitResult run_edgeport_split(const std::string& arguments) {
  const TemporaryDirectory scratch("stderr");
  const std::filesystem::path err_file = scratch.path() / "stderr.txt";
  const CommandResult result = run_in_source_dir(edgeport_command(arguments) + " 2>'" + err_file.string() + "'");
  std::ifstream stream(err_file, std::ios::binary);
  return {result.exit_code, result.output, std::string(std::istreambuf_iterator<char>(stream), {})};
}

std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(EDGEPORT_SOURCE_DIR) / relative;
}

}  // namespace edgeport::testing
