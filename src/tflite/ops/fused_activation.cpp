#include "tflite/ops/fused_activation.h"

#include "core/ops/unary.h"

namespace edgeport {

using tflite::ActivationFunctionType;

FusedActivation fuse_activation(LoweringContext& context, const Node& node) {
  FusedActivation fused;
  fused.output = node.outputs.at(0);
  const std::string attribute = node.attrs.get_string("activation", "none");
  if (attribute == "relu") {
    fused.function = ActivationFunctionType::RELU;
  } else if (attribute == "relu6") {
    fused.function = ActivationFunctionType::RELU6;
  } else if (attribute != "none") {
    fail_lowering(node, "activation '" + attribute + "' cannot be fused in TFLite");
  }
  if (fused.function != ActivationFunctionType::NONE || context.is_graph_output(fused.output)) return fused;
  const std::vector<int> readers = context.graph.consumers(fused.output);
  if (readers.size() != 1) return fused;
  const Node& next = context.graph.nodes[static_cast<std::size_t>(readers[0])];
  if (next.op != op::Relu && next.op != op::Relu6) return fused;
  fused.function = next.op == op::Relu ? ActivationFunctionType::RELU : ActivationFunctionType::RELU6;
  fused.output = next.outputs.at(0);
  context.skip_node(readers[0]);
  return fused;
}

std::string activation_attribute(const OperatorSite& site, ActivationFunctionType type) {
  switch (type) {
    case ActivationFunctionType::NONE: return "none";
    case ActivationFunctionType::RELU: return "relu";
    case ActivationFunctionType::RELU6: return "relu6";
    default: break;
  }
  site.fail("fused activation " + std::string(tflite::EnumNameActivationFunctionType(type)) + " is not supported");
}

int apply_activation(const OperatorSite& site, int value, ActivationFunctionType type) {
  const std::string name = activation_attribute(site, type);
  if (name == "none") return value;
  return site.context.add_node(name == "relu" ? op::Relu : op::Relu6, site.output(), "", {value});
}

std::string node_suffix_before(const OperatorSite& site, ActivationFunctionType type) {
  return activation_attribute(site, type) == "none" ? "" : "_before_activation";
}

}  // namespace edgeport
