#include "runtime/activation.h"

#include <cmath>

#include "core/op_registry.h"

namespace edgeport {

bool ActivationRange::is_identity() const { return std::isinf(low) && std::isinf(high); }

ActivationRange fused_activation(const Node& node) {
  const std::string name = node.attrs.get_string("activation", "none");
  if (name == "none") return {};
  if (name == "relu") return {0.0f, std::numeric_limits<float>::infinity()};
  if (name == "relu6") return {0.0f, 6.0f};
  fail_node(node, "unknown fused activation '" + name + "' (expected none, relu or relu6)");
}

}  // namespace edgeport
