#pragma once

#include <filesystem>
#include <string>

#include <onnx/onnx_pb.h>

#include "core/graph.h"

namespace edgeport {

struct OnnxImportOptions {
  // Replaces the shape of the (single) graph input, e.g. to pick a batch size
  // for a symbolic batch axis. Empty: the file's shape, symbolic extents as 1.
  Shape input_shape;
};

// Reads an ONNX file into the graph IR: the ops edgeport's writer emits and
// those torch.onnx.export writes for its CNNs (src/onnx/ops/ has one file per
// op; op_support.h lists them). Shape-only subgraphs (Shape, Gather, Unsqueeze, Concat, ...) are
// evaluated at import; DequantizeLinear of an integer initializer becomes an
// int8 constant with quantization parameters read by Dequantize, as the
// quantizer writes it. metadata_props become graph.metadata. Every failure is
// one Error line starting with the path and naming the node, e.g. an
// unsupported op.
Graph read_onnx(const std::filesystem::path& path, const OnnxImportOptions& options = {});
Graph import_onnx_model(onnx::ModelProto model, const std::string& origin,
                        const OnnxImportOptions& options = {});

}  // namespace edgeport
