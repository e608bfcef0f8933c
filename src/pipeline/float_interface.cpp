#include "pipeline/float_interface.h"

#include "core/ops/quantization.h"
#include "runtime/session.h"

namespace edgeport {

bool holds_codes(const Value& value) {
  return (value.dtype == DType::Int8 || value.dtype == DType::UInt8) && value.quant.has_value();
}

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

Tensor interface_codes(const Value& input, const Tensor& real) {
  Graph graph;
  const int x = graph.add_input("real", DType::Float32, real.shape());
  Attributes attrs;
  attrs.set("dtype", std::string(input.dtype == DType::Int8 ? "int8" : "uint8"));
  const int codes = graph.add(op::Quantize, "quantize", {x}, std::move(attrs));
  graph.value(codes).quant = input.quant;
  graph.mark_output(codes);
  return Session(graph).run({real}).at(0);
}

Tensor interface_reals(const Value& output, const Tensor& codes) {
  Graph graph;
  const int x = graph.add_input("codes", output.dtype, codes.shape());
  graph.value(x).quant = output.quant;
  graph.mark_output(graph.add(op::Dequantize, "dequantize", {x}));
  return Session(graph).run({codes}).at(0);
}

}  // namespace edgeport
