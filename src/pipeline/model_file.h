#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/graph.h"

namespace edgeport {

enum class ModelFormat { PyTorch, Onnx, Tflite, Container };

std::string to_string(ModelFormat format);
// How tables name the format: "PyTorch", "ONNX", "TFLite", "edgeport .eqm".
std::string display_name(ModelFormat format);
// By content where the format has a signature (zip, TFL3, .eqm magic), else
// by extension; an Error names the file when neither tells.
ModelFormat detect_format(const std::filesystem::path& path);

struct LoadOptions {
  // "--arch NAME[:key=value,...]"; inferred from a checkpoint's keys when empty.
  std::string arch;
  // Apply BatchNorm folding and activation fusion to a checkpoint's graph, as
  // both exporters do.
  bool fold = true;
  // Replaces the default input shape (checkpoints and ONNX files).
  Shape input_shape;
};

struct LoadedModel {
  Graph graph;
  ModelFormat format = ModelFormat::PyTorch;
  std::filesystem::path path;
  // For checkpoints: the architecture spec used, and whether it was inferred.
  std::string arch;
  bool arch_inferred = false;
};

// Any model file edgeport reads: a PyTorch checkpoint (through an
// architecture builder), an ONNX or TFLite file, or a quantized .eqm
// container. graph.metadata gains "source" (file name) and "source_sha256".
LoadedModel load_model(const std::filesystem::path& path, const LoadOptions& options = {});

// What LoadOptions::fold applies: BatchNorm folding, then activation fusion.
void fold_model(Graph& graph);

}  // namespace edgeport
