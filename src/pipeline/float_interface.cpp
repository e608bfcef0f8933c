#include "pipeline/float_interface.h"

#include "core/ops/quantization.h"

namespace edgeport {
namespace {

bool holds_codes(const Value& value) {
  return (value.dtype == DType::Int8 || value.dtype == DType::UInt8) && value.quant.has_value();
}

}  // namespace

Graph with_float_interface(const Graph& graph) {
  Graph wrapped = graph;
  std::vector<Node> quantizes;
  for (int& input : wrapped.inputs) {
    if (!holds_codes(wrapped.value(input))) continue;
    const int codes = input;
    const std::string name = wrapped.value(codes).name;
    const DType dtype = wrapped.value(codes).dtype;
    const Shape shape = wrapped.value(codes).shape;
    wrapped.value(codes).name = wrapped.unique_name(name + "_codes");
    wrapped.values.push_back(Value{name, DType::Float32, shape, std::nullopt, std::nullopt});
    input = static_cast<int>(wrapped.values.size()) - 1;
    Attributes attrs;
    attrs.set("dtype", std::string(dtype == DType::Int8 ? "int8" : "uint8"));
    quantizes.push_back(Node{op::Quantize, wrapped.unique_name(name + "_quantize"), {input}, {codes}, std::move(attrs)});
  }
  wrapped.nodes.insert(wrapped.nodes.begin(), quantizes.begin(), quantizes.end());
  for (int& output : wrapped.outputs) {
    if (!holds_codes(wrapped.value(output))) continue;
    const std::string name = wrapped.value(output).name;
    wrapped.value(output).name = wrapped.unique_name(name + "_codes");
    const int real = wrapped.add(op::Dequantize, wrapped.unique_name(name + "_dequantize"), {output});
    wrapped.value(real).name = name;
    output = real;
  }
  wrapped.validate();
  return wrapped;
}

}  // namespace edgeport
