#include "pipeline/external_runtimes.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/npy.h"

namespace edgeport {

namespace {

std::optional<std::filesystem::path> find_on_path(const std::string& program) {
  const char* path_variable = std::getenv("PATH");
  if (!path_variable) return std::nullopt;
  std::stringstream entries(path_variable);
  std::string directory;
  while (std::getline(entries, directory, ':')) {
    const std::filesystem::path candidate = std::filesystem::path(directory.empty() ? "." : directory) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

std::filesystem::path executable_directory() {
  std::error_code status;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", status);
  return status ? std::filesystem::path(".") : self.parent_path();
}

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char character : text) {
    if (character == '\'') {
      quoted += "'\\''";
    } else {
      quoted += character;
    }
  }
  return quoted + "'";
}

const char* script_name(ExternalRuntime runtime) {
  return runtime == ExternalRuntime::OnnxRuntime ? "ort_run.js" : "litert_run.js";
}

}  // namespace

std::string to_string(ExternalRuntime runtime) {
  return runtime == ExternalRuntime::OnnxRuntime ? "ONNX Runtime" : "LiteRT";
}

ExternalRuntimes find_external_runtimes() {
  ExternalRuntimes found;
  found.node = find_on_path("node");
  if (!found.node) found.notes.push_back("node is not on PATH (apt-get install nodejs)");
  std::vector<std::filesystem::path> candidates;
  if (const char* configured = std::getenv("EDGEPORT_ORACLES")) candidates.emplace_back(configured);
  candidates.push_back(executable_directory() / ".." / "tests" / "oracles");
  candidates.emplace_back(std::string(EDGEPORT_SOURCE_DIR) + "/tests/oracles");
  for (const auto& candidate : candidates) {
    std::error_code status;
    if (std::filesystem::exists(candidate / "ort_run.js", status)) {
      found.oracle_dir = std::filesystem::weakly_canonical(candidate, status);
      break;
    }
  }
  if (!found.oracle_dir) {
    found.notes.push_back("the oracle scripts (tests/oracles) were not found; set EDGEPORT_ORACLES");
    return found;
  }
  const std::filesystem::path modules = *found.oracle_dir / "node_modules";
  found.onnxruntime = found.node && std::filesystem::exists(modules / "onnxruntime-node" / "package.json");
  found.litert = found.node && std::filesystem::exists(modules / "@litertjs" / "core" / "package.json") &&
                 std::filesystem::exists(*found.oracle_dir / "litert_run.js");
  if (!found.onnxruntime || !found.litert) {
    found.notes.push_back("npm packages missing: cd " + found.oracle_dir->string() +
                          " && npm ci --ignore-scripts");
  }
  return found;
}

Tensor run_external(const ExternalRuntimes& runtimes, ExternalRuntime runtime, const std::filesystem::path& model,
                    const Tensor& input) {
  const bool available = runtime == ExternalRuntime::OnnxRuntime ? runtimes.onnxruntime : runtimes.litert;
  if (!available || !runtimes.node || !runtimes.oracle_dir) {
    throw Error(to_string(runtime) + " is not installed (see `edgeport doctor`)");
  }
  char pattern[] = "/tmp/edgeport-oracle-XXXXXX";
  if (!::mkdtemp(pattern)) throw Error("cannot create a temporary directory for " + to_string(runtime));
  const std::filesystem::path scratch(pattern);
  const std::filesystem::path input_file = scratch / "input.npy";
  const std::filesystem::path output_file = scratch / "output.npy";
  const std::filesystem::path log_file = scratch / "log.txt";
  try {
    write_npy(input_file, input);
    const std::string command = shell_quote(runtimes.node->string()) + " " +
                                shell_quote((*runtimes.oracle_dir / script_name(runtime)).string()) + " " +
                                shell_quote(std::filesystem::absolute(model).string()) + " " +
                                shell_quote(input_file.string()) + " " + shell_quote(output_file.string()) +
                                " >" + shell_quote(log_file.string()) + " 2>&1";
    if (std::system(command.c_str()) != 0) {
      std::ifstream log(log_file);
      std::string message;
      std::string line;
      while (std::getline(log, line)) {
        if (!line.empty()) message = line;
      }
      throw Error(model.string() + ": " + to_string(runtime) + " failed: " + message);
    }
    Tensor output = read_npy(output_file);
    std::filesystem::remove_all(scratch);
    return output;
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove_all(scratch, ignored);
    throw;
  }
}

}  // namespace edgeport
