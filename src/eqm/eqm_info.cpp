#include "eqm/eqm_info.h"

#include <map>
#include <sstream>

namespace edgeport {

namespace {

std::string json_list(const nlohmann::json& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + value.dump();
  return text;
}

}  // namespace

nlohmann::json container_info(const Graph& graph) {
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

}  // namespace edgeport
