#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tensor.h"
#include "pipeline/compare_models.h"
#include "pipeline/model_file.h"

namespace edgeport {

enum class ExternalRuntime { OnnxRuntime, LiteRt };
std::string to_string(ExternalRuntime runtime);

// The real runtimes used as judges: ONNX Runtime (npm onnxruntime-node) and
// LiteRT (npm @litertjs/core), driven by the Node scripts in share/oracles/.
struct ExternalRuntimes {
  std::optional<std::filesystem::path> node;         // the node executable
  std::optional<std::filesystem::path> oracle_dir;  // holds the scripts and node_modules
  bool onnxruntime = false;
  bool litert = false;
  std::vector<std::string> notes;  // what is missing and how to get it

  // Whether node, the oracle scripts and this runtime's package are all there.
  bool has(ExternalRuntime runtime) const;
};

// Looks for node on PATH and the oracle folder in $EDGEPORT_ORACLES, next to
// the executable (../share/edgeport/oracles once installed, ../share/oracles in
// a checkout) and in the source tree it was built from.
ExternalRuntimes find_external_runtimes();

// Runs the model file in the real runtime on one input and returns its first
// output. An Error carries the runtime's own message.
Tensor run_external(const ExternalRuntimes& runtimes, ExternalRuntime runtime, const std::filesystem::path& model,
                    const Tensor& input);

// run_external on every input set, each input brought to the first input of
// `interface` (the graph read from the same file; see layout_adapter.h). A
// file with an integer interface is fed the codes of the input and its output
// codes come back as real values, each through the file's own parameters.
OutputSets run_external_on_input_sets(const ExternalRuntimes& runtimes, ExternalRuntime runtime,
                                      const std::filesystem::path& model, const Graph& interface,
                                      const std::vector<LabelledInputs>& inputs);

// The real runtime's own timing of the model on one input, as the oracle
// script prints it: runtime, version, threads, load_ms, latencies_ms (one per
// timed run), and the Node.js process's peak_rss_kib and baseline_rss_kib
// (before the runtime loaded). LiteRT's wasm build always runs on one thread.
struct ExternalBenchRequest {
  int runs = 50;
  int warmup = 5;
  int threads = 1;
};
nlohmann::json bench_external(const ExternalRuntimes& runtimes, ExternalRuntime runtime,
                              const std::filesystem::path& model, const Tensor& input,
                              const ExternalBenchRequest& request);

// The real runtime that reads files of this format, if any.
std::optional<ExternalRuntime> external_runtime_for(ModelFormat format);

}  // namespace edgeport
