// MatMul of two computed tensors: IR MatMul -> ONNX MatMul. The reader of
// ONNX MatMul is in linear.cpp, since MatMul by a known weight is IR Linear.
#include "core/ops/matmul.h"

#include "onnx/onnx_emitter.h"
#include "onnx/op_registry.h"

namespace edgeport {
namespace {

void write_matmul(OnnxEmitter& emitter, const Node& node) { emitter.add_same_op(node); }

const NodeWriterRegistration writer({op::MatMul}, write_matmul);

}  // namespace
}  // namespace edgeport
