#include "runtime/session.h"

#include <map>

#include "core/error.h"
#include "core/ops/onnx_integer_ops.h"
#include "core/ops/quantization.h"

namespace edgeport {

namespace {

std::map<std::string, Kernel>& kernels() {
  static std::map<std::string, Kernel> registry;
  return registry;
}

std::map<std::string, KernelPreparer>& preparers() {
  static std::map<std::string, KernelPreparer> registry;
  return registry;
}

// Quantizing an activation at run time (a hybrid op's input, DynamicQuantizeLinear,
// a Quantize of a computed value) turns one ulp of difference upstream into a
// code: such graphs keep the reference kernels throughout.
bool quantizes_at_run_time(const Graph& graph, const RunOptions& options) {
  for (const Node& node : graph.nodes) {
    if (node.op == op::DynamicQuantizeLinear || node.op == op::ConvInteger || node.op == op::MatMulInteger) return true;
    if (options.hybrid && node.attrs.get_int("hybrid", 0) != 0) return true;
    if (node.op == op::Quantize && !graph.value(node.inputs.at(0)).constant) return true;
  }
  return false;
}

}  // namespace

void KernelRegistry::add(const std::string& op, Kernel kernel) { kernels()[op] = std::move(kernel); }

const Kernel* KernelRegistry::find(const std::string& op) {
  auto found = kernels().find(op);
  return found == kernels().end() ? nullptr : &found->second;
}

void KernelRegistry::add_preparer(const std::string& op, KernelPreparer preparer) {
  preparers()[op] = std::move(preparer);
}

const KernelPreparer* KernelRegistry::find_preparer(const std::string& op) {
  auto found = preparers().find(op);
  return found == preparers().end() ? nullptr : &found->second;
}

const Tensor& KernelContext::input(std::size_t index) const {
  if (!has_input(index)) {
    throw Error("node '" + node.name + "' (" + node.op + "): input " + std::to_string(index) + " is missing");
  }
  return *inputs[index];
}

Session::Session(const Graph& graph, RunOptions options) : graph_(graph), options_(options) {
  graph_.validate();
  std::vector<int> last_reader(graph_.values.size(), -1);
  for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
    const Node& node = graph_.nodes[i];
    const Kernel* kernel = KernelRegistry::find(node.op);
    if (!kernel) throw Error("node '" + node.name + "': op " + node.op + " has no kernel in the runtime");
    kernels_.push_back(kernel);
    prepared_.emplace_back();
    const KernelPreparer* preparer = KernelRegistry::find_preparer(node.op);
    if (preparer && !options_.reference && !quantizes_at_run_time(graph_, options_)) {
      prepared_.back() = (*preparer)(graph_, node, options_);
    }
    for (int input : node.inputs) {
      if (input != kNoValue) last_reader[static_cast<std::size_t>(input)] = static_cast<int>(i);
    }
  }
  for (int output : graph_.outputs) last_reader[static_cast<std::size_t>(output)] = -1;
  release_after_.resize(graph_.nodes.size());
  for (std::size_t v = 0; v < last_reader.size(); ++v) {
    if (last_reader[v] >= 0 && !graph_.values[v].constant) {
      release_after_[static_cast<std::size_t>(last_reader[v])].push_back(static_cast<int>(v));
    }
  }
}

std::vector<Tensor> Session::run(const std::vector<Tensor>& inputs) const {
  if (inputs.size() != graph_.inputs.size()) {
    throw Error("model takes " + std::to_string(graph_.inputs.size()) + " inputs, given " +
                std::to_string(inputs.size()));
  }
  std::vector<Tensor> live(graph_.values.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Value& expected = graph_.value(graph_.inputs[i]);
    if (inputs[i].dtype() != expected.dtype || inputs[i].shape() != expected.shape) {
      throw Error("input '" + expected.name + "' expects " + std::string(dtype_name(expected.dtype)) + " " +
                  shape_to_string(expected.shape) + ", given " + std::string(dtype_name(inputs[i].dtype())) + " " +
                  shape_to_string(inputs[i].shape()));
    }
    live[static_cast<std::size_t>(graph_.inputs[i])] = inputs[i];
  }
  for (std::size_t n = 0; n < graph_.nodes.size(); ++n) {
    const Node& node = graph_.nodes[n];
    KernelContext context{graph_, node, {}, {}, options_};
    for (int input : node.inputs) {
      if (input == kNoValue) {
        context.inputs.push_back(nullptr);
      } else if (graph_.values[static_cast<std::size_t>(input)].constant) {
        context.inputs.push_back(&*graph_.values[static_cast<std::size_t>(input)].constant);
      } else {
        context.inputs.push_back(&live[static_cast<std::size_t>(input)]);
      }
    }
    for (int output : node.outputs) {
      const Value& declared = graph_.values[static_cast<std::size_t>(output)];
      live[static_cast<std::size_t>(output)] = Tensor(declared.dtype, declared.shape);
      live[static_cast<std::size_t>(output)].quant = declared.quant;
      context.outputs.push_back(&live[static_cast<std::size_t>(output)]);
    }
    try {
      if (prepared_[n]) {
        prepared_[n](context);
      } else {
        (*kernels_[n])(context);
      }
    } catch (const Error& error) {
      // Kernels report some problems through lower layers (e.g. a tensor read
      // as the wrong dtype); make sure every message still names the node.
      const std::string message = error.what();
      if (message.find("node '" + node.name + "'") != std::string::npos) throw;
      throw Error("node '" + node.name + "' (" + node.op + "): " + message);
    }
    for (int released : release_after_[n]) live[static_cast<std::size_t>(released)] = Tensor();
  }
  std::vector<Tensor> results;
  for (int output : graph_.outputs) {
    const Value& declared = graph_.values[static_cast<std::size_t>(output)];
    results.push_back(declared.constant ? *declared.constant : live[static_cast<std::size_t>(output)]);
  }
  return results;
}

Tensor run_graph(const Graph& graph, const Tensor& input, RunOptions options) {
  return Session(graph, options).run({input}).front();
}

}  // namespace edgeport
