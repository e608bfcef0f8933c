#include "pipeline/model_file.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "core/file_io.h"
#include "core/sha256.h"
#include "eqm/eqm_container.h"
#include "models/architecture.h"
#include "onnx/onnx_import.h"
#include "passes/passes.h"
#include "pytorch/state_dict.h"
#include "tflite/reader.h"

namespace edgeport {

std::string to_string(ModelFormat format) {
  switch (format) {
    case ModelFormat::PyTorch: return "pytorch";
    case ModelFormat::Onnx: return "onnx";
    case ModelFormat::Tflite: return "tflite";
    case ModelFormat::Container: return "eqm";
  }
  return "unknown";
}

std::string display_name(ModelFormat format) {
  switch (format) {
    case ModelFormat::PyTorch: return "PyTorch";
    case ModelFormat::Onnx: return "ONNX";
    case ModelFormat::Tflite: return "TFLite";
    case ModelFormat::Container: return "edgeport .eqm";
  }
  return "unknown";
}

ModelFormat detect_format(const std::filesystem::path& path) {
  std::error_code status;
  if (!std::filesystem::exists(path, status)) throw Error(path.string() + ": no such file");
  if (std::filesystem::is_directory(path, status)) throw Error(path.string() + ": is a directory, not a model file");
  const std::vector<std::uint8_t> head_bytes = read_file_head(path, 8);
  const char* head = reinterpret_cast<const char*>(head_bytes.data());
  const std::size_t got = head_bytes.size();
  if (got >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0) return ModelFormat::PyTorch;
  if (got >= 8 && std::memcmp(head + 4, "TFL3", 4) == 0) return ModelFormat::Tflite;
  if (got >= 8 && std::memcmp(head, "\x89" "EQM\r\n\x1A\n", 8) == 0) return ModelFormat::Container;
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  if (extension == ".onnx") return ModelFormat::Onnx;
  if (extension == ".pt" || extension == ".pth" || extension == ".ckpt" || extension == ".bin") {
    return ModelFormat::PyTorch;
  }
  if (extension == ".tflite") return ModelFormat::Tflite;
  if (extension == ".eqm") return ModelFormat::Container;
  throw Error(path.string() + ": not a model edgeport reads (expected a PyTorch checkpoint, .onnx, .tflite or .eqm)");
}

namespace {

LoadedModel load_checkpoint(const std::filesystem::path& path, const LoadOptions& options) {
  const StateDict state_dict = load_state_dict(path);
  LoadedModel model;
  ArchSpec spec;
  if (!options.arch.empty()) {
    spec = ArchSpec::parse(options.arch);
  } else {
    std::optional<ArchSpec> inferred = infer_architecture(state_dict);
    if (!inferred) {
      throw Error(path.string() +
                  ": cannot tell the architecture from the checkpoint's keys; pass --arch (see --help), or export the "
                  "model to ONNX (torch.onnx.export) and pass the .onnx file");
    }
    spec = *inferred;
    model.arch_inferred = true;
  }
  try {
    model.graph = build_model(spec, state_dict, BuildOptions{options.input_shape});
  } catch (const Error& error) {
    throw Error(path.string() + ": " + error.what());
  }
  model.arch = spec.to_string();
  return model;
}

}  // namespace

void fold_model(Graph& graph) {
  fold_batch_norm(graph);
  fuse_activations(graph);
}

LoadedModel load_model(const std::filesystem::path& path, const LoadOptions& options) {
  const ModelFormat format = detect_format(path);
  if (format != ModelFormat::PyTorch && !options.arch.empty()) {
    throw Error(path.string() + ": --arch applies to PyTorch checkpoints; a " + to_string(format) +
                " file carries its own graph");
  }
  LoadedModel model;
  switch (format) {
    case ModelFormat::PyTorch: model = load_checkpoint(path, options); break;
    case ModelFormat::Onnx: model.graph = read_onnx(path, OnnxImportOptions{options.input_shape}); break;
    case ModelFormat::Tflite: model.graph = read_tflite(path); break;
    case ModelFormat::Container: model.graph = read_container(path); break;
  }
  if (options.fold) fold_model(model.graph);
  model.format = format;
  model.path = path;
  model.graph.metadata["source"] = path.filename().string();
  model.graph.metadata["source_sha256"] = sha256_file_hex(path);
  return model;
}

}  // namespace edgeport
