#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/graph.h"
#include "tflite/lowering_context.h"

namespace edgeport {

// How one IR op becomes TFLite operators. Each file of src/tflite/ops/
// registers the lowerings of its ops, or the reason an op has none.
using TfliteLowering = std::function<void(LoweringContext& context, const Node& node)>;

class TfliteLoweringRegistry {
 public:
  static void add(const std::string& ir_op, TfliteLowering lowering);
  static void refuse(const std::string& ir_op, std::string reason);
  // nullptr when the op has no lowering.
  static const TfliteLowering* find(const std::string& ir_op);
  static std::optional<std::string> refusal(const std::string& ir_op);
  static std::set<std::string> lowerable();
};

struct TfliteLoweringRegistration {
  TfliteLoweringRegistration(const std::vector<std::string>& ir_ops, const TfliteLowering& lowering);
};

struct TfliteLoweringRefusal {
  TfliteLoweringRefusal(const std::vector<std::string>& ir_ops, const std::string& reason);
};

}  // namespace edgeport
