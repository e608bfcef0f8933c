#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/ops/binary.h"
#include "core/ops/conv.h"
#include "core/ops/mean.h"
#include "core/ops/pool.h"
#include "core/ops/transpose.h"
#include "core/ops/unary.h"
#include "core/unique_names.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

const std::vector<std::int64_t> kToNhwc{0, 2, 3, 1};
const std::vector<std::int64_t> kToNchw{0, 3, 1, 2};

// Ops that compute the same function in either layout, given their tensor
// inputs in one layout of one shape and their constants as single numbers.
const std::set<std::string> kElementwise{op::Relu, op::Relu6, op::Sigmoid, op::HardSwish,
                                         op::Add,  op::Sub,   op::Mul};

class ChannelsLastPlanner {
 public:
  ChannelsLastPlanner(Graph& graph, const std::function<bool(const Graph&, const Node&)>& wants_conv)
      : graph_(graph), wants_conv_(wants_conv) {
    for (const Value& value : graph.values) names_.reserve(value.name);
    for (const Node& node : graph.nodes) names_.reserve(node.name);
  }

  int run() {
    std::vector<Node> given = std::move(graph_.nodes);
    graph_.nodes.clear();
    int moved = 0;
    for (Node& node : given) {
      if (goes_channels_last(node)) {
        move_to_channels_last(node);
        ++moved;
      } else {
        graph_.nodes.push_back(std::move(node));
      }
    }
    // Drops the transposes back to NCHW that no NCHW reader needed.
    if (moved > 0) graph_.compact();
    return moved;
  }

 private:
  bool has_twin(int value) const { return twins_.count(value) != 0; }

  bool is_float_4d(int value) const {
    const Value& v = graph_.value(value);
    return v.dtype == DType::Float32 && v.shape.size() == 4;
  }

  bool goes_channels_last(const Node& node) const {
    if (node.outputs.size() != 1 || node.inputs.empty() || !is_float_4d(node.outputs[0])) return false;
    if (node.attrs.get_string("layout", "NCHW") != "NCHW") return false;
    if (node.op == op::Conv) return is_float_4d(node.inputs[0]) && wants_conv_(graph_, node);
    if (node.op == op::MaxPool || node.op == op::GlobalAveragePool) return has_twin(node.inputs[0]);
    if (kElementwise.count(node.op) == 0) return false;
    // Every tensor input already channels-last and of the output's shape, so
    // moving the op adds no transpose; constants broadcast as one number.
    bool any_tensor = false;
    for (int input : node.inputs) {
      const Value& value = graph_.value(input);
      if (value.constant) {
        if (shape_numel(value.shape) != 1) return false;
        continue;
      }
      if (!has_twin(input) || value.shape != graph_.value(node.outputs[0]).shape) return false;
      any_tensor = true;
    }
    return any_tensor;
  }

  int nhwc_twin(int value) {
    const auto found = twins_.find(value);
    if (found != twins_.end()) return found->second;
    Attributes attrs;
    attrs.set("perm", kToNhwc);
    const int twin = graph_.add(op::Transpose, names_.fresh(graph_.value(value).name + "_nhwc"), {value}, attrs);
    twins_[value] = twin;
    return twin;
  }

  void move_to_channels_last(const Node& node) {
    std::vector<int> inputs = node.inputs;
    for (int& input : inputs) {
      if (input != kNoValue && !graph_.is_constant(input)) input = nhwc_twin(input);
    }
    Attributes attrs = node.attrs;
    if (kElementwise.count(node.op) == 0) attrs.set("layout", std::string("NHWC"));
    const int output = graph_.add(node.op, names_.fresh(node.name + "_nhwc"), inputs, attrs);
    twins_[node.outputs[0]] = output;
    // The original value, for whatever still reads NCHW.
    Attributes back;
    back.set("perm", kToNchw);
    graph_.nodes.push_back(Node{op::Transpose, names_.fresh(node.name + "_nchw"), {output}, {node.outputs[0]}, back});
  }

  Graph& graph_;
  const std::function<bool(const Graph&, const Node&)>& wants_conv_;
  UniqueNames names_;
  // NCHW value -> the same tensor channels-last.
  std::map<int, int> twins_;
};

}  // namespace

int plan_channels_last(Graph& graph, const std::function<bool(const Graph&, const Node&)>& wants_conv) {
  return ChannelsLastPlanner(graph, wants_conv).run();
}

}  // namespace edgeport
