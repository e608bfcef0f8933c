#include "tflite/ops/qdq_import.h"

#include "core/ops/quantization.h"

namespace edgeport {

int dequantize_int8_operand(OperatorSite& site, int tensor, int codes) {
  Value& value = site.context.graph.value(codes);
  if (!value.quant) value.quant = site.model().quantization(tensor);
  if (!value.quant) site.fail(site.model().tensor_label(tensor) + " is int8 without quantization parameters");
  return site.context.add_node(op::Dequantize, tensor, "_dequantized", {codes});
}

void append_dequantized_bias(OperatorSite& site, std::vector<int>& inputs) {
  const int bias_tensor = site.optional_input(2);
  if (bias_tensor < 0) return;
  if (site.model().dtype(bias_tensor) != DType::Int32) site.fail(site.model().tensor_label(bias_tensor) + " is not int32");
  const int bias = site.context.filter_value(bias_tensor, tflite_layout::identity(1), 0);
  inputs.push_back(site.context.add_node(op::Dequantize, bias_tensor, "_dequantized", {bias}));
}

void hold_quantized_output(OperatorSite& site, int sums, const tflite_layout::Perm& perm) {
  Attributes int8;
  int8.set("dtype", std::string("int8"));
  const int y = site.context.add_node(op::Quantize, site.output(), "", {sums}, std::move(int8));
  Value& value = site.context.graph.value(y);
  value.quant = site.model().quantization(site.output());
  if (!value.quant) site.fail(site.model().tensor_label(site.output()) + " is int8 without quantization parameters");
  site.context.hold(site.output(), y, perm);
}

}  // namespace edgeport
