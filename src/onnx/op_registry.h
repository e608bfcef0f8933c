#pragma once

#include <map>
#include <string>
#include <vector>

namespace edgeport {

class OnnxImporter;
class OnnxEmitter;
struct Node;

// Each file of src/onnx/ops/ registers what it reads and writes, so the reader,
// the writer and op_support.h learn of an op from its own file alone.

using NodeImporter = void (*)(OnnxImporter& importer);

struct NodeImporterSpec {
  // The ONNX op types this importer reads.
  std::vector<std::string> onnx_ops;
  // Every IR op it may add to the graph; the importer refuses to emit others.
  std::vector<std::string> ir_ops;
  // nullptr when only nodes with known inputs are supported (then `fold` runs).
  NodeImporter import = nullptr;
  // Computes the outputs at import time when every input is known (shape
  // arithmetic); nullptr when `import` handles such nodes too.
  NodeImporter fold = nullptr;
};

struct NodeImporterRegistration {
  explicit NodeImporterRegistration(NodeImporterSpec spec);
};

// nullptr when no file reads that ONNX op type.
const NodeImporterSpec* find_node_importer(const std::string& onnx_op);
std::vector<const NodeImporterSpec*> node_importers();

using NodeWriter = void (*)(OnnxEmitter& emitter, const Node& node);

struct NodeWriterRegistration {
  NodeWriterRegistration(std::vector<std::string> ir_ops, NodeWriter writer);
};

// nullptr when no file writes that IR op.
const NodeWriter* find_node_writer(const std::string& ir_op);
std::vector<std::string> writable_ops();

// An IR op that the reader never produces or the writer cannot write, and why;
// registered in the op's file so the reason stands next to the code.
struct ImportRefusalRegistration {
  ImportRefusalRegistration(const std::string& ir_op, const std::string& reason);
};
struct ExportRefusalRegistration {
  ExportRefusalRegistration(const std::string& ir_op, const std::string& reason);
};
const std::map<std::string, std::string>& import_refusals();
const std::map<std::string, std::string>& export_refusals();

}  // namespace edgeport
