#include "support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../test_scratch.h"
#include "core/error.h"
#include "core/npy.h"
#include "core/oracle_runner.h"
#include "tflite/info.h"

namespace edgeport::tflite_test {

std::filesystem::path scratch_directory(const std::string& name) { return testing::fresh_test_folder("tflite", name); }

std::vector<Tensor> run_litert_batch(const std::filesystem::path& model, const std::vector<std::vector<Tensor>>& runs) {
  const std::filesystem::path directory = model.parent_path();
  const std::string stem = model.stem().string();
  OracleCommand command;
  command.script = std::filesystem::path(EDGEPORT_SOURCE_DIR) / "share/oracles/litert_run.js";
  command.arguments.push_back(model.string());
  std::vector<std::filesystem::path> outputs;
  for (std::size_t run = 0; run < runs.size(); ++run) {
    if (run > 0) command.arguments.push_back("--");
    const std::string prefix = stem + ".run" + std::to_string(run);
    for (std::size_t i = 0; i < runs[run].size(); ++i) {
      const std::filesystem::path file = directory / (prefix + ".in" + std::to_string(i) + ".npy");
      write_npy(file, runs[run][i]);
      command.arguments.push_back(file.string());
    }
    outputs.push_back(directory / (prefix + ".litert.npy"));
    std::filesystem::remove(outputs.back());
    command.arguments.push_back(outputs.back().string());
  }
  command.stdout_file = directory / (stem + ".litert.log");
  command.stderr_file = command.stdout_file;
  if (run_oracle_script(command) != 0) {
    throw Error("LiteRT failed on " + model.string() + ": " + last_nonempty_line(command.stdout_file));
  }
  std::vector<Tensor> results;
  for (const auto& output : outputs) results.push_back(read_npy(output));
  return results;
}

std::vector<Tensor> run_litert(const std::filesystem::path& model, const std::vector<Tensor>& inputs) {
  return run_litert_batch(model, {inputs});
}

Tensor random_tensor(const Shape& shape, unsigned seed, float scale) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> distribution(-scale, scale);
  Tensor tensor(DType::Float32, shape);
  for (float& value : tensor.values<float>()) value = distribution(generator);
  return tensor;
}

float max_abs_diff(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) throw Error("shapes " + shape_to_string(a.shape()) + " and " + shape_to_string(b.shape()) + " differ");
  const Tensor x = a.to_float32();
  const Tensor y = b.to_float32();
  float worst = 0.0f;
  for (std::int64_t i = 0; i < x.numel(); ++i) {
    const float diff = std::fabs(x.data<float>()[i] - y.data<float>()[i]);
    if (!(diff <= worst)) worst = diff;
  }
  return worst;
}

float max_abs(const Tensor& tensor) {
  const Tensor x = tensor.to_float32();
  float worst = 0.0f;
  for (float value : x.values<float>()) {
    if (!(std::fabs(value) <= worst)) worst = std::fabs(value);
  }
  return worst;
}

double sqnr_db(const Tensor& reference, const Tensor& test) {
  const Tensor x = reference.to_float32();
  const Tensor y = test.to_float32();
  if (x.shape() != y.shape()) throw Error("SQNR of different shapes");
  double signal = 0.0;
  double noise = 0.0;
  for (std::int64_t i = 0; i < x.numel(); ++i) {
    const double s = x.data<float>()[i];
    const double n = s - y.data<float>()[i];
    signal += s * s;
    noise += n * n;
  }
  return 10.0 * std::log10(signal / noise);
}

int count_operators(const std::filesystem::path& model, const std::string& code_name) {
  const nlohmann::json info = tflite_info(model);
  int count = 0;
  for (const auto& entry : info.at("operators")) {
    if (entry.at("op") == code_name) count += entry.at("count").get<int>();
  }
  return count;
}

}  // namespace edgeport::tflite_test
