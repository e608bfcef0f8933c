#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/graph.h"

namespace edgeport::onnx_test {

std::filesystem::path source_path(const std::string& relative);
// A fresh, empty folder under the build tree for one test's files.
std::filesystem::path scratch_folder(const std::string& name);

// Runs the model in ONNX Runtime (share/oracles/ort_run.js under Node) and
// returns its first `outputs` outputs. Throws with ORT's message when Node,
// the oracle or ONNX Runtime fails: a missing oracle fails the test.
std::vector<Tensor> run_onnx_runtime(const std::filesystem::path& model, const std::vector<Tensor>& inputs,
                                     std::size_t outputs = 1);

// Our runtime on a graph with one input, with depthwise convolutions summed in
// ONNX Runtime's order (a dynamic graph quantizes their results at run time).
Tensor run_ours(const Graph& graph, const Tensor& input);

double max_abs_diff(const Tensor& expected, const Tensor& actual);
// 10 log10(sum reference^2 / sum (reference - actual)^2).
double sqnr_db(const Tensor& reference, const Tensor& actual);

// Deterministic pseudo-random values in [-scale, scale].
Tensor random_tensor(Shape shape, std::uint32_t seed, float scale = 1.0f);

// The ops of a model file, in node order.
std::vector<std::string> onnx_ops(const std::filesystem::path& model);

// A manifest.json of a fixture folder; fails when it is missing, naming the
// command that makes it.
nlohmann::json load_manifest(const std::filesystem::path& folder, const std::string& make_command);

}  // namespace edgeport::onnx_test
