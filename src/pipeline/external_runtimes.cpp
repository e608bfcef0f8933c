#include "pipeline/external_runtimes.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "core/error.h"
#include "core/npy.h"
#include "core/oracle_runner.h"
#include "core/temporary_directory.h"
#include "pipeline/float_interface.h"
#include "pipeline/layout_adapter.h"

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

const char* script_name(ExternalRuntime runtime) {
  return runtime == ExternalRuntime::OnnxRuntime ? "ort_run.js" : "litert_run.js";
}

}  // namespace

bool ExternalRuntimes::has(ExternalRuntime runtime) const {
  const bool installed = runtime == ExternalRuntime::OnnxRuntime ? onnxruntime : litert;
  return installed && node && oracle_dir;
}

std::string to_string(ExternalRuntime runtime) {
  return runtime == ExternalRuntime::OnnxRuntime ? "ONNX Runtime" : "LiteRT";
}

ExternalRuntimes find_external_runtimes() {
  ExternalRuntimes found;
  found.node = find_on_path("node");
  if (!found.node) found.notes.push_back("node is not on PATH (apt-get install nodejs)");
  std::vector<std::filesystem::path> candidates;
  if (const char* configured = std::getenv("EDGEPORT_ORACLES")) candidates.emplace_back(configured);
  // Installed (cmake --install), then a build folder inside the checkout, then the checkout it was built from.
  candidates.push_back(executable_directory() / ".." / "share" / "edgeport" / "oracles");
  candidates.push_back(executable_directory() / ".." / "share" / "oracles");
  candidates.emplace_back(std::string(EDGEPORT_SOURCE_DIR) + "/share/oracles");
  for (const auto& candidate : candidates) {
    std::error_code status;
    if (std::filesystem::exists(candidate / "ort_run.js", status)) {
      found.oracle_dir = std::filesystem::weakly_canonical(candidate, status);
      break;
    }
  }
  if (!found.oracle_dir) {
    found.notes.push_back("the oracle scripts (share/oracles) were not found; set EDGEPORT_ORACLES");
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

namespace {

// Runs the runtime's oracle script with `arguments` and returns the last line
// it printed on stdout; a failure becomes an Error with the script's message.
std::string run_oracle(const ExternalRuntimes& runtimes, ExternalRuntime runtime, const std::filesystem::path& model,
                       const std::vector<std::string>& arguments, const std::filesystem::path& scratch) {
  if (!runtimes.has(runtime)) {
    throw Error(to_string(runtime) + " is not installed (see `edgeport doctor`)");
  }
  OracleCommand command;
  command.node = *runtimes.node;
  command.script = *runtimes.oracle_dir / script_name(runtime);
  command.arguments = arguments;
  command.stdout_file = scratch / "stdout.txt";
  command.stderr_file = scratch / "log.txt";
  if (run_oracle_script(command) != 0) {
    throw Error(model.string() + ": " + to_string(runtime) + " failed: " + last_nonempty_line(command.stderr_file));
  }
  return last_nonempty_line(command.stdout_file);
}

}  // namespace

Tensor run_external(const ExternalRuntimes& runtimes, ExternalRuntime runtime, const std::filesystem::path& model,
                    const Tensor& input) {
  const TemporaryDirectory scratch("oracle");
  const std::filesystem::path input_file = scratch.path() / "input.npy";
  const std::filesystem::path output_file = scratch.path() / "output.npy";
  write_npy(input_file, input);
  run_oracle(runtimes, runtime, model,
             {std::filesystem::absolute(model).string(), input_file.string(), output_file.string()}, scratch.path());
  return read_npy(output_file);
}

OutputSets run_external_on_input_sets(const ExternalRuntimes& runtimes, ExternalRuntime runtime,
                                      const std::filesystem::path& model, const Graph& interface,
                                      const std::vector<LabelledInputs>& inputs) {
  const Value& input = interface.value(interface.inputs.at(0));
  const Value& output = interface.value(interface.outputs.at(0));
  OutputSets outputs;
  for (const LabelledInputs& set : inputs) {
    Tensor fed = adapt_layout(set.tensors.front(), input.shape);
    if (holds_codes(input)) fed = interface_codes(input, fed);
    Tensor result = run_external(runtimes, runtime, model, fed);
    outputs.push_back({holds_codes(output) ? interface_reals(output, result) : std::move(result)});
  }
  return outputs;
}

nlohmann::json bench_external(const ExternalRuntimes& runtimes, ExternalRuntime runtime,
                              const std::filesystem::path& model, const Tensor& input,
                              const ExternalBenchRequest& request) {
  const TemporaryDirectory scratch("oracle");
  const std::filesystem::path input_file = scratch.path() / "input.npy";
  write_npy(input_file, input);
  std::vector<std::string> arguments{"--bench", std::to_string(request.runs), "--warmup",
                                     std::to_string(request.warmup)};
  if (runtime == ExternalRuntime::OnnxRuntime) {
    arguments.insert(arguments.end(), {"--threads", std::to_string(request.threads)});
  }
  arguments.insert(arguments.end(), {std::filesystem::absolute(model).string(), input_file.string()});
  const std::string printed = run_oracle(runtimes, runtime, model, arguments, scratch.path());
  nlohmann::json figures = nlohmann::json::parse(printed, nullptr, false);
  if (figures.is_discarded() || !figures.is_object() || !figures.contains("latencies_ms") ||
      !figures["latencies_ms"].is_array() || figures["latencies_ms"].size() != static_cast<std::size_t>(request.runs)) {
    throw Error(model.string() + ": " + to_string(runtime) + " printed no benchmark figures: " + printed);
  }
  return figures;
}

std::optional<ExternalRuntime> external_runtime_for(ModelFormat format) {
  if (format == ModelFormat::Onnx) return ExternalRuntime::OnnxRuntime;
  if (format == ModelFormat::Tflite) return ExternalRuntime::LiteRt;
  return std::nullopt;
}

}  // namespace edgeport
