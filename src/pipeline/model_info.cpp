#include "pipeline/model_info.h"

#include <iomanip>
#include <map>
#include <sstream>

#include "core/sha256.h"
#include "models/architecture.h"
#include "onnx/onnx_info.h"
#include "pipeline/model_file.h"
#include "pytorch/state_dict.h"
#include "quant/eqm_container.h"
#include "tflite/info.h"

namespace edgeport {

namespace {

bool is_buffer_name(const std::string& name) {
  for (const char* suffix : {"running_mean", "running_var", "num_batches_tracked"}) {
    const std::string tail = suffix;
    if (name.size() >= tail.size() && name.compare(name.size() - tail.size(), tail.size(), tail) == 0) return true;
  }
  return false;
}

nlohmann::json checkpoint_info(const std::filesystem::path& path) {
  const StateDict state_dict = load_state_dict(path);
  nlohmann::json tensors = nlohmann::json::array();
  std::int64_t parameters = 0;
  std::int64_t elements = 0;
  std::int64_t bytes = 0;
  for (const auto& [name, tensor] : state_dict.entries) {
    tensors.push_back({{"name", name},
                       {"dtype", std::string(dtype_name(tensor.dtype()))},
                       {"shape", tensor.shape()},
                       {"bytes", tensor.nbytes()}});
    elements += tensor.numel();
    bytes += static_cast<std::int64_t>(tensor.nbytes());
    if (!is_buffer_name(name)) parameters += tensor.numel();
  }
  nlohmann::json info = {{"format", "pytorch"},   {"tensors", tensors},     {"tensor_count", state_dict.size()},
                         {"parameters", parameters}, {"elements", elements}, {"tensor_bytes", bytes}};
  const std::optional<ArchSpec> inferred = infer_architecture(state_dict);
  info["architecture"] = inferred ? nlohmann::json(inferred->to_string()) : nlohmann::json(nullptr);
  return info;
}

nlohmann::json container_info(const std::filesystem::path& path) {
  const Graph graph = read_container(path);
  std::map<std::string, int> histogram;
  for (const Node& node : graph.nodes) ++histogram[node.op];
  nlohmann::json quantized = nlohmann::json::array();
  std::map<std::string, std::int64_t> bytes_by_dtype;
  for (const Value& value : graph.values) {
    if (!value.constant) continue;
    bytes_by_dtype[std::string(dtype_name(value.dtype))] += static_cast<std::int64_t>(value.constant->nbytes());
    if (value.quant) {
      quantized.push_back({{"name", value.name},
                           {"shape", value.shape},
                           {"dtype", std::string(dtype_name(value.dtype))},
                           {"axis", value.quant->per_channel() ? nlohmann::json(value.quant->axis) : nlohmann::json()},
                           {"channels", value.quant->scale.size()}});
    }
  }
  nlohmann::json inputs = nlohmann::json::array();
  for (int id : graph.inputs) {
    inputs.push_back({{"name", graph.value(id).name}, {"shape", graph.value(id).shape},
                      {"dtype", std::string(dtype_name(graph.value(id).dtype))}});
  }
  nlohmann::json outputs = nlohmann::json::array();
  for (int id : graph.outputs) {
    outputs.push_back({{"name", graph.value(id).name}, {"shape", graph.value(id).shape},
                       {"dtype", std::string(dtype_name(graph.value(id).dtype))}});
  }
  return {{"format", "eqm"},          {"inputs", inputs},       {"outputs", outputs},
          {"nodes", graph.nodes.size()}, {"ops", histogram},    {"constant_bytes", bytes_by_dtype},
          {"quantized_tensors", quantized}, {"metadata", graph.metadata}};
}

std::string json_list(const nlohmann::json& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + value.dump();
  return text;
}

std::string format_checkpoint_info(const nlohmann::json& info) {
  std::ostringstream text;
  text << "PyTorch checkpoint: " << info["file"].get<std::string>() << " (" << info["file_bytes"] << " bytes)\n";
  text << "sha256: " << info["sha256"].get<std::string>() << "\n";
  text << "architecture: "
       << (info["architecture"].is_null() ? std::string("not inferable from the keys; pass --arch")
                                          : info["architecture"].get<std::string>() + " (inferred from the keys)")
       << "\n";
  text << "tensors: " << info["tensor_count"] << ", parameters: " << info["parameters"]
       << " (excluding BatchNorm running statistics), elements: " << info["elements"] << ", bytes: "
       << info["tensor_bytes"] << "\n\n";
  text << std::left << std::setw(40) << "name" << std::setw(10) << "dtype" << std::setw(18) << "shape" << "bytes\n";
  for (const auto& tensor : info["tensors"]) {
    text << std::setw(40) << tensor["name"].get<std::string>() << std::setw(10) << tensor["dtype"].get<std::string>()
         << std::setw(18) << tensor["shape"].dump() << tensor["bytes"] << "\n";
  }
  return text.str();
}

std::string format_container_info(const nlohmann::json& info) {
  std::ostringstream text;
  text << "edgeport container (.eqm): " << info["file"].get<std::string>() << " (" << info["file_bytes"]
       << " bytes)\n";
  text << "inputs: " << json_list(info["inputs"]) << "\noutputs: " << json_list(info["outputs"]) << "\n";
  text << "nodes: " << info["nodes"] << ", ops: " << info["ops"].dump() << "\n";
  text << "constant bytes by dtype: " << info["constant_bytes"].dump() << "\n";
  text << "quantized tensors: " << info["quantized_tensors"].size() << "\n";
  for (const auto& tensor : info["quantized_tensors"]) text << "  " << tensor.dump() << "\n";
  text << "metadata:\n";
  for (const auto& [key, value] : info["metadata"].items()) text << "  " << key << ": " << value.get<std::string>() << "\n";
  return text.str();
}

}  // namespace

nlohmann::json model_info(const std::filesystem::path& path) {
  nlohmann::json info;
  const ModelFormat format = detect_format(path);
  switch (format) {
    case ModelFormat::PyTorch: info = checkpoint_info(path); break;
    case ModelFormat::Onnx: info = onnx_info(path); break;
    case ModelFormat::Tflite: info = tflite_info(path); break;
    case ModelFormat::Container: info = container_info(path); break;
  }
  info["format"] = to_string(format);
  info["file"] = path.string();
  info["file_bytes"] = std::filesystem::file_size(path);
  info["sha256"] = sha256_file_hex(path);
  return info;
}

std::string format_model_info(const nlohmann::json& info) {
  const std::string format = info.value("format", "");
  if (format == "pytorch") return format_checkpoint_info(info);
  if (format == "eqm") return format_container_info(info);
  if (format == "onnx") return format_onnx_info(info);
  return format_tflite_info(info);
}

}  // namespace edgeport
