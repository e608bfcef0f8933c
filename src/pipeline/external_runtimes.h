#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace edgeport {

// The real runtimes used as judges: ONNX Runtime (npm onnxruntime-node) and
// LiteRT (npm @litertjs/core), driven by the Node scripts in tests/oracles/.
struct ExternalRuntimes {
  std::optional<std::filesystem::path> node;         // the node executable
  std::optional<std::filesystem::path> oracle_dir;  // holds the scripts and node_modules
  bool onnxruntime = false;
  bool litert = false;
  std::vector<std::string> notes;  // what is missing and how to get it
};

// Looks for node on PATH and the oracle folder in $EDGEPORT_ORACLES, next to
// the executable (../tests/oracles) and in the source tree it was built from.
ExternalRuntimes find_external_runtimes();

enum class ExternalRuntime { OnnxRuntime, LiteRt };
std::string to_string(ExternalRuntime runtime);

// Runs the model file in the real runtime on one input and returns its first
// output. An Error carries the runtime's own message.
Tensor run_external(const ExternalRuntimes& runtimes, ExternalRuntime runtime, const std::filesystem::path& model,
                    const Tensor& input);

}  // namespace edgeport
