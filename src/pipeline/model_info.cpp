#include "pipeline/model_info.h"

#include "core/sha256.h"
#include "eqm/eqm_container.h"
#include "eqm/eqm_info.h"
#include "models/architecture.h"
#include "onnx/onnx_info.h"
#include "pipeline/model_file.h"
#include "pytorch/checkpoint_info.h"
#include "tflite/info.h"

namespace edgeport {

namespace {

// The checkpoint's own report, the architecture its keys name and, for each
// option of it, whether the weights gave its value or it is the default.
nlohmann::json pytorch_info(const std::filesystem::path& path) {
  const StateDict state_dict = load_state_dict(path);
  nlohmann::json info = checkpoint_info(state_dict);
  const std::optional<ArchSpec> inferred = infer_architecture(state_dict);
  info["architecture"] = inferred ? nlohmann::json(inferred->to_string()) : nlohmann::json(nullptr);
  info["architecture_name"] = inferred ? nlohmann::json(inferred->name) : nlohmann::json(nullptr);
  info["architecture_options"] = nlohmann::json::array();
  if (inferred) {
    for (const auto& [name, value] : inferred->options) {
      info["architecture_options"].push_back(
          {{"name", name},
           {"value", value},
           {"source", option_read_from_weights(inferred->name, name) ? "inferred" : "default"}});
    }
  }
  return info;
}

}  // namespace

nlohmann::json model_info(const std::filesystem::path& path) {
  nlohmann::json info;
  const ModelFormat format = detect_format(path);
  switch (format) {
    case ModelFormat::PyTorch: info = pytorch_info(path); break;
    case ModelFormat::Onnx: info = onnx_info(path); break;
    case ModelFormat::Tflite: info = tflite_info(path); break;
    case ModelFormat::Container: info = container_info(read_container(path)); break;
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
