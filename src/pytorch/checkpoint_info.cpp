#include "pytorch/checkpoint_info.h"

#include <iomanip>
#include <sstream>

namespace edgeport {

namespace {

bool is_buffer_name(const std::string& name) {
  for (const char* suffix : {"running_mean", "running_var", "num_batches_tracked"}) {
    const std::string tail = suffix;
    if (name.size() >= tail.size() && name.compare(name.size() - tail.size(), tail.size(), tail) == 0) return true;
  }
  return false;
}

}  // namespace

nlohmann::json checkpoint_info(const StateDict& state_dict) {
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
  return {{"format", "pytorch"},   {"tensors", tensors},     {"tensor_count", state_dict.size()},
          {"parameters", parameters}, {"elements", elements}, {"tensor_bytes", bytes}};
}

std::string format_checkpoint_info(const nlohmann::json& info) {
  std::ostringstream text;
  text << "PyTorch checkpoint: " << info["file"].get<std::string>() << " (" << info["file_bytes"] << " bytes)\n";
  text << "sha256: " << info["sha256"].get<std::string>() << "\n";
  if (info["architecture"].is_null()) {
    text << "architecture: not inferable from the keys; pass --arch, or export the model to ONNX "
            "(torch.onnx.export) and pass the .onnx file\n";
  } else {
    text << "architecture: " << info["architecture_name"].get<std::string>() << " (inferred from the keys)\n";
    // Options the weights cannot reveal (a preprocessing filter) are only
    // defaults: a checkpoint trained with another value needs --arch.
    for (const char* source : {"inferred", "default"}) {
      std::string options;
      for (const auto& option : info["architecture_options"]) {
        if (option["source"] != source) continue;
        options += (options.empty() ? "" : ", ") + option["name"].get<std::string>() + "=" +
                   option["value"].get<std::string>();
      }
      if (options.empty()) continue;
      text << "  " << options
           << (std::string(source) == "inferred" ? ": inferred from the weights' shapes\n"
                                                 : ": default, not stored in the checkpoint\n");
    }
  }
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

}  // namespace edgeport
