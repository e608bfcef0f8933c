#include "onnx_test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>

#include "../test_scratch.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/npy.h"
#include "core/oracle_runner.h"
#include "onnx/onnx_model_io.h"
#include "runtime/session.h"

namespace edgeport::onnx_test {

std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(EDGEPORT_SOURCE_DIR) / relative;
}

std::filesystem::path scratch_folder(const std::string& name) { return testing::fresh_test_folder("onnx", name); }

std::vector<Tensor> run_onnx_runtime(const std::filesystem::path& model, const std::vector<Tensor>& inputs,
                                     std::size_t outputs) {
  const std::filesystem::path oracle = source_path("share/oracles/ort_run.js");
  if (!std::filesystem::exists(oracle)) throw Error("ONNX Runtime oracle missing: " + oracle.string());
  if (!std::filesystem::exists(source_path("share/oracles/node_modules/onnxruntime-node"))) {
    throw Error("onnxruntime-node is not installed: run npm install --ignore-scripts in share/oracles");
  }
  std::filesystem::path folder = model;
  folder += ".ort";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  OracleCommand command;
  command.script = oracle;
  command.arguments.push_back(model.string());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::filesystem::path path = folder / ("input" + std::to_string(i) + ".npy");
    write_npy(path, inputs[i]);
    command.arguments.push_back(path.string());
  }
  for (std::size_t i = 0; i < outputs; ++i) {
    command.arguments.push_back((folder / ("output" + std::to_string(i) + ".npy")).string());
  }
  command.stdout_file = folder / "stdout.txt";
  command.stderr_file = folder / "stderr.txt";
  if (run_oracle_script(command) != 0) {
    throw Error("ONNX Runtime failed on " + model.string() + ": " + last_nonempty_line(command.stderr_file));
  }
  std::vector<Tensor> results;
  for (std::size_t i = 0; i < outputs; ++i) results.push_back(read_npy(folder / ("output" + std::to_string(i) + ".npy")));
  return results;
}

Tensor run_ours(const Graph& graph, const Tensor& input) {
  RunOptions as_onnx_runtime;
  as_onnx_runtime.depthwise_arithmetic = DepthwiseArithmetic::OnnxRuntime;
  return Session(graph, as_onnx_runtime).run({input}).front();
}

double max_abs_diff(const Tensor& expected, const Tensor& actual) {
  if (expected.shape() != actual.shape()) {
    throw Error("shapes differ: " + shape_to_string(expected.shape()) + " vs " + shape_to_string(actual.shape()));
  }
  const Tensor a = expected.to_float32();
  const Tensor b = actual.to_float32();
  double worst = 0.0;
  for (std::int64_t i = 0; i < a.numel(); ++i) {
    const double difference = std::fabs(static_cast<double>(a.data<float>()[i]) - b.data<float>()[i]);
    if (std::isnan(difference)) return INFINITY;
    worst = std::max(worst, difference);
  }
  return worst;
}

double sqnr_db(const Tensor& reference, const Tensor& actual) {
  if (reference.shape() != actual.shape()) throw Error("shapes differ");
  const Tensor a = reference.to_float32();
  const Tensor b = actual.to_float32();
  double signal = 0.0;
  double noise = 0.0;
  for (std::int64_t i = 0; i < a.numel(); ++i) {
    const double x = a.data<float>()[i];
    const double y = b.data<float>()[i];
    signal += x * x;
    noise += (x - y) * (x - y);
  }
  return noise == 0.0 ? INFINITY : 10.0 * std::log10(signal / noise);
}

Tensor random_tensor(Shape shape, std::uint32_t seed, float scale) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> distribution(-scale, scale);
  Tensor tensor(DType::Float32, std::move(shape));
  for (float& value : tensor.values<float>()) value = distribution(generator);
  return tensor;
}

std::vector<std::string> onnx_ops(const std::filesystem::path& model) {
  const onnx::ModelProto proto = load_onnx_model(model);
  std::vector<std::string> ops;
  for (const onnx::NodeProto& node : proto.graph().node()) ops.push_back(node.op_type());
  return ops;
}

nlohmann::json load_manifest(const std::filesystem::path& folder, const std::string& make_command) {
  const std::filesystem::path path = folder / "manifest.json";
  if (!std::filesystem::exists(path)) {
    throw Error(path.string() + " is missing; make it with: " + make_command);
  }
  std::ifstream stream(path);
  return nlohmann::json::parse(stream);
}

}  // namespace edgeport::onnx_test
