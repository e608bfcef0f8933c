// Element-wise arithmetic: ONNX Add, Sub, Mul and Div by a constant <-> IR
// Add, Sub, Mul (a division becomes a multiplication by the reciprocal). The
// Mul of x * HardSigmoid(x) becomes IR HardSwish.
//
// On known operands all four fold here: shape arithmetic is int64, which the
// runtime's float kernels do not compute, and Div has no IR op.
#include "core/ops/binary.h"

#include <type_traits>
#include <utility>

#include "core/error.h"
#include "core/ops/hard_sigmoid.h"
#include "core/ops/shape_rules.h"
#include "core/ops/unary.h"
#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/constant_folding.h"
#include "onnx/ops/import_checks.h"

namespace edgeport {
namespace {

// Whether `gate` is PyTorch's Hardsigmoid of `x`: torch.onnx.export writes
// Hardswish as x * HardSigmoid(x; alpha 1/6, beta 1/2) below opset 14. Only
// the float nearest 1/6 counts, so the product and HardSwish's
// x * relu6(x + 3) / 6 differ by float32 rounding alone.
bool is_hard_swish_gate(const Graph& graph, int gate, int x) {
  const int producer = graph.producer(gate);
  if (producer < 0) return false;
  const Node& node = graph.nodes[static_cast<std::size_t>(producer)];
  return node.op == op::HardSigmoid && node.inputs.at(0) == x &&
         static_cast<float>(node.attrs.get_float("alpha", hard_sigmoid::kDefaultAlpha)) ==
             static_cast<float>(1.0 / 6.0) &&
         node.attrs.get_float("beta", hard_sigmoid::kDefaultBeta) == 0.5;
}

// Reads x * HardSigmoid(x) as HardSwish; false for any other product. The
// gate's node is dropped at the end of the import unless something else
// reads it.
bool import_hard_swish_product(OnnxImporter& importer) {
  if (importer.constant_input(0) || importer.constant_input(1)) return false;
  const int a = importer.input(0);
  const int b = importer.input(1);
  for (const auto& [x, gate] : {std::pair{a, b}, std::pair{b, a}}) {
    if (!is_hard_swish_gate(importer.graph(), gate, x)) continue;
    importer.emit(op::HardSwish, {x});
    return true;
  }
  return false;
}

// A known operand of Add / Sub / Mul must be float32 to meet a float tensor.
void import_binary(OnnxImporter& importer) {
  const std::string& onnx_op = importer.node().op_type();
  if (onnx_op == "Mul" && import_hard_swish_product(importer)) return;
  require_float_input(importer, 0);
  require_float_input(importer, 1);
  if (onnx_op == "Div") {
    const Tensor* divisor = importer.constant_input(1);
    if (!divisor) importer.fail("division by a computed tensor is not supported");
    Tensor reciprocal = divisor->to_float32();
    for (float& value : reciprocal.values<float>()) value = 1.0f / value;
    const int factor = importer.add_constant(importer.node().input(1) + "_reciprocal", std::move(reciprocal));
    importer.emit(op::Mul, {importer.input(0), factor});
    return;
  }
  const char* ir_op = onnx_op == "Add" ? op::Add : onnx_op == "Sub" ? op::Sub : op::Mul;
  importer.emit(ir_op, {importer.input(0), importer.input(1)});
}

// The element of `operand`, broadcast NumPy-style to `shape`, that output
// element `index` reads.
std::int64_t broadcast_source(const Shape& operand, const Shape& shape, std::int64_t index) {
  std::int64_t source = 0;
  std::int64_t stride = 1;
  for (std::size_t k = operand.size(), axis = shape.size(); k-- > 0;) {
    --axis;
    const std::int64_t coordinate = index % shape[axis];
    index /= shape[axis];
    if (operand[k] != 1) source += coordinate * stride;
    stride *= operand[k];
  }
  return source;
}

template <typename T>
void combine(OnnxImporter& importer, const Tensor& a, const Tensor& b, Tensor& result) {
  const std::string& onnx_op = importer.node().op_type();
  const T* x = a.data<T>();
  const T* y = b.data<T>();
  T* out = result.data<T>();
  for (std::int64_t i = 0; i < result.numel(); ++i) {
    const T u = x[broadcast_source(a.shape(), result.shape(), i)];
    const T v = y[broadcast_source(b.shape(), result.shape(), i)];
    if constexpr (std::is_integral_v<T>) {
      if (onnx_op == "Div" && v == 0) importer.fail("integer division by zero");
    }
    out[i] = static_cast<T>(onnx_op == "Add" ? u + v : onnx_op == "Sub" ? u - v : onnx_op == "Mul" ? u * v : u / v);
  }
}

void fold_binary(OnnxImporter& importer) {
  const Tensor& a = *importer.constant_input(0);
  const Tensor& b = *importer.constant_input(1);
  if (a.dtype() != b.dtype()) importer.fail("operands differ in type");
  const Node described{importer.node().op_type(), importer.node_name(), {}, {}, {}};
  const Shape shape = broadcast_shapes(a.shape(), b.shape(), described);
  check_fold_size(importer, shape);
  Tensor result(a.dtype(), shape);
  switch (a.dtype()) {
    case DType::Float32:
      combine<float>(importer, a, b, result);
      break;
    case DType::Float64:
      combine<double>(importer, a, b, result);
      break;
    case DType::Int64:
      combine<std::int64_t>(importer, a, b, result);
      break;
    case DType::Int32:
      combine<std::int32_t>(importer, a, b, result);
      break;
    case DType::Int16:
      combine<std::int16_t>(importer, a, b, result);
      break;
    case DType::Int8:
      combine<std::int8_t>(importer, a, b, result);
      break;
    case DType::UInt8:
      combine<std::uint8_t>(importer, a, b, result);
      break;
    default:
      importer.fail("cannot fold arithmetic on " + std::string(dtype_name(a.dtype())));
  }
  importer.bind_output_constant(0, std::move(result));
}

void write_binary(OnnxEmitter& emitter, const Node& node) {
  const std::string output = emitter.pre_activation_output(node);
  emitter.add_node(node.op, node.name, {emitter.tensor(node.inputs.at(0)), emitter.tensor(node.inputs.at(1))},
                   {output});
  emitter.finish_activation(node, output);
}

const NodeImporterRegistration reader({.onnx_ops = {"Add", "Sub", "Mul", "Div"},
                                       .ir_ops = {op::Add, op::Sub, op::Mul, op::HardSwish},
                                       .import = import_binary,
                                       .fold = fold_binary});
const NodeWriterRegistration writer({op::Add, op::Sub, op::Mul}, write_binary);

}  // namespace
}  // namespace edgeport
