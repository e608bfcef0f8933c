#include "cli_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <stdexcept>

namespace edgeport::testing {

CommandResult run_edgeport(const std::string& arguments) {
  const std::string executable = EDGEPORT_BIN;
  const std::string command = "cd '" + std::string(EDGEPORT_SOURCE_DIR) + "' && '" + executable + "' " + arguments +
                              " 2>&1";
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

std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(EDGEPORT_SOURCE_DIR) / relative;
}

}  // namespace edgeport::testing
