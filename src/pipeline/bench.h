#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/model_file.h"

namespace edgeport {

struct BenchRequest {
  std::vector<std::filesystem::path> models;
  LoadOptions load;
  int runs = 50;
  int warmup = 5;
  int threads = 1;
  bool external = false;  // also ONNX Runtime for .onnx and LiteRT for .tflite files
  int rounds = 5;         // with external: rounds alternating between the two runtimes
};

// Per model, each measured in a child process of its own so that its peak
// resident memory is its own: load time, latency percentiles, throughput,
// peak RSS and file size in our runtime, plus the machine it ran on. With
// `external`, a row per file from the real runtime that reads it, run by its
// oracle script under Node.js on the same input; "notes" says what could not
// be measured and why.
nlohmann::json bench_models(const BenchRequest& request);
std::string format_bench_table(const nlohmann::json& results);
// "Markdown" table for bench/ and the README.
std::string format_bench_markdown(const nlohmann::json& results);

// CPU model, core count and kernel, for labelling figures.
nlohmann::json machine_description();

}  // namespace edgeport
