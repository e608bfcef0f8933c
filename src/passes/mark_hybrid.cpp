#include "core/ops/conv.h"
#include "core/ops/linear.h"
#include "core/ops/quantization.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

// The int8 constant behind a Dequantize with all-zero zero points, or kNoValue.
// Hybrid kernels take one scale per tensor or per output channel (axis 0).
int symmetric_int8_source(const Graph& graph, int weight_id) {
  const int producer_index = graph.producer(weight_id);
  if (producer_index < 0) return kNoValue;
  const Node& dequantize = graph.nodes[static_cast<std::size_t>(producer_index)];
  if (dequantize.op != op::Dequantize) return kNoValue;
  const int source = dequantize.inputs[0];
  if (!graph.is_constant(source)) return kNoValue;
  const Value& codes = graph.value(source);
  const std::optional<QuantParams>& quant = codes.quant ? codes.quant : codes.constant->quant;
  if (codes.dtype != DType::Int8 || !quant || !quant->symmetric() || quant->axis > 0) return kNoValue;
  return source;
}

}  // namespace

int mark_hybrid(Graph& graph) {
  int marked = 0;
  for (Node& node : graph.nodes) {
    if ((node.op != op::Conv && node.op != op::Linear) || node.inputs.size() < 2) continue;
    const int source = symmetric_int8_source(graph, node.inputs[1]);
    if (source == kNoValue) continue;
    node.inputs[1] = source;
    node.attrs.set("hybrid", std::int64_t{1});
    ++marked;
  }
  if (marked > 0) graph.compact();
  return marked;
}

}  // namespace edgeport
