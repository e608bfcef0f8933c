#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/graph.h"
#include "core/tensor.h"

namespace edgeport::tflite_test {

// A fresh directory under the build tree for one test's files.
std::filesystem::path scratch_directory(const std::string& name);

// Runs a .tflite file in LiteRT (share/oracles/litert_run.js under Node) and
// returns its outputs. Throws when Node, the oracle or the model fails.
std::vector<Tensor> run_litert(const std::filesystem::path& model, const std::vector<Tensor>& inputs);
// Several runs of one model in one LiteRT process: the first output of each.
std::vector<Tensor> run_litert_batch(const std::filesystem::path& model, const std::vector<std::vector<Tensor>>& runs);

// Deterministic pseudo-random float32 data in [-scale, scale].
Tensor random_tensor(const Shape& shape, unsigned seed, float scale = 1.0f);

float max_abs_diff(const Tensor& a, const Tensor& b);
float max_abs(const Tensor& tensor);
// Signal-to-quantization-noise ratio of `test` against `reference`, in dB.
double sqnr_db(const Tensor& reference, const Tensor& test);

// How many operators of a builtin code name ("TRANSPOSE", ...) a file holds.
int count_operators(const std::filesystem::path& model, const std::string& code_name);

}  // namespace edgeport::tflite_test
