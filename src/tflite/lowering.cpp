#include "tflite/lowering.h"

#include "tflite/lowering_context.h"
#include "tflite/lowering_registry.h"

namespace edgeport {

TfliteLoweringCounts lower_to_tflite(const Graph& graph, const TfliteLoweringOptions& options,
                                     TfliteModelBuilder& builder) {
  LoweringContext context(graph, options, builder);
  context.declare_inputs();
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    if (context.skipped(static_cast<int>(i))) continue;
    const Node& node = graph.nodes[i];
    if (const TfliteLowering* lowering = TfliteLoweringRegistry::find(node.op)) {
      (*lowering)(context, node);
      continue;
    }
    const std::optional<std::string> reason = TfliteLoweringRegistry::refusal(node.op);
    fail_lowering(node, "has no TFLite equivalent in this writer" + (reason ? ": " + *reason : std::string()));
  }
  context.declare_outputs();
  return context.counts;
}

}  // namespace edgeport
