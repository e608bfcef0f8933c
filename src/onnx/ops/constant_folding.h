#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/attributes.h"
#include "core/tensor.h"

namespace edgeport {

class OnnxImporter;

// Emits IR op `op` reading inputs `onnx_inputs` of the current node or, when
// every input of the node is known, runs the op at import time with the
// runtime's kernel and binds its outputs as known tensors (the shape
// arithmetic torch.onnx.export leaves around Reshape). Either way the IR's
// shape rule and kernel are the only definition of the op.
void emit_or_fold(OnnxImporter& importer, const std::string& op, const std::vector<std::size_t>& onnx_inputs,
                  Attributes attrs = {});

// The outputs of IR op `op` (node name `name`) on known tensors: shapes from
// the IR's shape rule, values from the runtime's kernel.
std::vector<Tensor> run_ir_node(const std::string& op, const std::string& name,
                                const std::vector<const Tensor*>& inputs, Attributes attrs);

// ONNX ops with no IR counterpart fold with their own code; these guard it.
// Fails unless `shape` is a plausible folded shape: a constant computed at
// import beyond 2^26 elements is a corrupt file, not a CNN's shape arithmetic.
void check_fold_size(const OnnxImporter& importer, const Shape& shape);
// Copies element `from` of `source` to element `to` of `target` (same dtype).
void copy_element(const Tensor& source, std::int64_t from, Tensor& target, std::int64_t to);

}  // namespace edgeport
