#include "runtime/session.h"

#include <algorithm>
#include <map>

#include "core/arena_plan.h"
#include "core/error.h"
#include "runtime/conv_chain.h"
#include "runtime/session_rewrites.h"
#include "core/ops/onnx_integer_ops.h"
#include "core/ops/quantization.h"

namespace edgeport {

namespace {

// A cache line, and the widest vector loads the kernels make.
constexpr std::int64_t kArenaAlignment = 64;

std::map<std::string, Kernel>& kernels() {
  static std::map<std::string, Kernel> registry;
  return registry;
}

std::map<std::string, Preparation>& preparers() {
  static std::map<std::string, Preparation> registry;
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

// The rewritten graph is the session's own: a float weight its rewrites made
// (BatchNorm folded, Dequantize folded) goes as soon as the last kernel that
// needed it holds its packed copy, so a session never keeps a model's weights
// twice, not even while it prepares.
class ConstantReleaser {
 public:
  explicit ConstantReleaser(Graph* owned) : owned_(owned) {
    if (!owned_) return;
    pending_.assign(owned_->values.size(), 0);
    for (const Node& node : owned_->nodes) {
      for (int input : node.inputs) {
        if (input != kNoValue && owned_->values[static_cast<std::size_t>(input)].constant) {
          ++pending_[static_cast<std::size_t>(input)];
        }
      }
    }
    // An output constant is handed to the caller on every run.
    for (int output : owned_->outputs) pending_[static_cast<std::size_t>(output)] = -1;
  }

  // `node`'s kernel is prepared and reads only `reads` when it runs.
  void prepared(const Node& node, const std::vector<int>& reads) {
    if (!owned_) return;
    for (int input : node.inputs) {
      if (input == kNoValue || std::find(reads.begin(), reads.end(), input) != reads.end()) continue;
      int& count = pending_[static_cast<std::size_t>(input)];
      if (count > 0 && --count == 0) owned_->values[static_cast<std::size_t>(input)].constant.reset();
    }
  }

 private:
  Graph* owned_;
  std::vector<int> pending_;  // per constant: readers whose kernels may still need it
};

}  // namespace

void KernelRegistry::add(const std::string& op, Kernel kernel) { kernels()[op] = std::move(kernel); }

const Kernel* KernelRegistry::find(const std::string& op) {
  auto found = kernels().find(op);
  return found == kernels().end() ? nullptr : &found->second;
}

void KernelRegistry::add_preparer(const std::string& op, Preparation preparation) {
  preparers()[op] = std::move(preparation);
}

const Preparation* KernelRegistry::find_preparer(const std::string& op) {
  auto found = preparers().find(op);
  return found == preparers().end() ? nullptr : &found->second;
}

const Tensor& KernelContext::input(std::size_t index) const {
  if (!has_input(index)) {
    throw Error("node '" + node.name + "' (" + node.op + "): input " + std::to_string(index) + " is missing");
  }
  return *inputs[index];
}

Session::Session(const Graph& graph, RunOptions options) : given_(graph), options_(options) {
  given_.validate();
  // The integer rewrite keeps the reference kernels for whatever stays float.
  if (options_.integer != IntegerArithmetic::Float) {
    rewritten_ = rewrite_for_integer_arithmetic(given_);
  } else if (!options_.reference && !quantizes_at_run_time(given_, options_)) {
    rewritten_ = rewrite_for_speed(given_);
  }
  graph_ = rewritten_ ? &*rewritten_ : &given_;
  plan_steps();
  plan_arena();
}

void Session::plan_steps() {
  const bool prepare = fast();
  ConstantReleaser releaser(rewritten_ && prepare ? &*rewritten_ : nullptr);
  const std::vector<Node>& nodes = graph_->nodes;
  // Conv chains run depth-first as one step at their last node.
  std::vector<int> chain_of(nodes.size(), -1);
  const std::vector<std::vector<int>> chains = prepare ? find_conv_chains(*graph_) : std::vector<std::vector<int>>{};
  for (std::size_t c = 0; c < chains.size(); ++c) {
    for (int index : chains[c]) chain_of[static_cast<std::size_t>(index)] = static_cast<int>(c);
  }
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Node& node = nodes[i];
    Step step;
    step.node = &node;
    step.writes = node.outputs;
    step.plain = KernelRegistry::find(node.op);
    if (!step.plain) throw Error("node '" + node.name + "': op " + node.op + " has no kernel in the runtime");
    if (chain_of[i] >= 0) {
      const std::vector<int>& chain = chains[static_cast<std::size_t>(chain_of[i])];
      if (chain.back() != static_cast<int>(i)) continue;
      step.reads = {nodes[static_cast<std::size_t>(chain.front())].inputs[0]};
      step.prepared = prepare_conv_chain(*graph_, chain, options_);
      for (int index : chain) releaser.prepared(nodes[static_cast<std::size_t>(index)], step.reads);
    } else {
      step.reads = node.inputs;
      const Preparation* preparation = KernelRegistry::find_preparer(node.op);
      if (prepare && preparation) step.prepared = preparation->prepare(*graph_, node, options_);
      if (step.prepared && preparation->reads == PreparedReads::FirstInputOnly) {
        step.reads.resize(1);
        releaser.prepared(node, step.reads);
      }
    }
    steps_.push_back(std::move(step));
  }
}

void Session::plan_arena() {
  const std::vector<Value>& values = graph_->values;
  std::vector<int> first(values.size(), -1);
  std::vector<int> last(values.size(), -1);
  for (std::size_t s = 0; s < steps_.size(); ++s) {
    for (int read : steps_[s].reads) {
      if (read != kNoValue) last[static_cast<std::size_t>(read)] = static_cast<int>(s);
    }
    for (int write : steps_[s].writes) first[static_cast<std::size_t>(write)] = static_cast<int>(s);
  }
  std::vector<int> planned;
  std::vector<BufferLifetime> lifetimes;
  for (std::size_t v = 0; v < values.size(); ++v) {
    if (first[v] < 0 || values[v].constant) continue;
    const std::int64_t bytes = shape_numel(values[v].shape) * static_cast<std::int64_t>(dtype_size(values[v].dtype));
    lifetimes.push_back({bytes, first[v], std::max(first[v], last[v])});
    planned.push_back(static_cast<int>(v));
  }
  for (int output : graph_->outputs) {
    for (std::size_t i = 0; i < planned.size(); ++i) {
      if (planned[i] == output) lifetimes[i].last_step = static_cast<int>(steps_.size());
    }
  }
  const ArenaPlan plan = edgeport::plan_arena(lifetimes, kArenaAlignment);
  arena_size_ = plan.size;
  // All-ones bytes are a NaN in every float: a kernel that counted on a
  // zeroed output fails its tests instead of passing by luck.
  arena_.assign(static_cast<std::size_t>(plan.size + kArenaAlignment), 0xFF);
  const auto address = reinterpret_cast<std::uintptr_t>(arena_.data());
  std::uint8_t* base = arena_.data() + (kArenaAlignment - address % kArenaAlignment) % kArenaAlignment;
  live_.resize(values.size());
  sources_.assign(values.size(), nullptr);
  for (std::size_t i = 0; i < planned.size(); ++i) {
    const Value& value = values[static_cast<std::size_t>(planned[i])];
    Tensor& view = live_[static_cast<std::size_t>(planned[i])];
    view = Tensor::view(value.dtype, value.shape, base + plan.offsets[i]);
    view.quant = value.quant;
    sources_[static_cast<std::size_t>(planned[i])] = &view;
  }
  for (std::size_t v = 0; v < values.size(); ++v) {
    if (values[v].constant) sources_[v] = &*values[v].constant;
  }
  for (const Step& step : steps_) {
    KernelContext context{*graph_, *step.node, {}, {}, options_};
    context.inputs.resize(step.reads.size(), nullptr);
    for (int write : step.writes) context.outputs.push_back(&live_[static_cast<std::size_t>(write)]);
    contexts_.push_back(std::move(context));
  }
}

void Session::run_step(std::size_t index) const {
  const Step& step = steps_[index];
  KernelContext& context = contexts_[index];
  for (std::size_t i = 0; i < step.reads.size(); ++i) {
    context.inputs[i] = step.reads[i] == kNoValue ? nullptr : sources_[static_cast<std::size_t>(step.reads[i])];
  }
  try {
    if (step.prepared) {
      step.prepared(context);
    } else {
      (*step.plain)(context);
    }
  } catch (const Error& error) {
    // Kernels report some problems through lower layers (e.g. a tensor read
    // as the wrong dtype); make sure every message still names the node.
    const Node& node = *step.node;
    const std::string message = error.what();
    if (message.find("node '" + node.name + "'") != std::string::npos) throw;
    throw Error("node '" + node.name + "' (" + node.op + "): " + message);
  }
}

std::vector<Tensor> Session::run(const std::vector<Tensor>& inputs) const {
  std::vector<Tensor> outputs;
  run(inputs, outputs);
  return outputs;
}

void Session::check_inputs(const std::vector<Tensor>& inputs) const {
  const Graph& graph = *graph_;
  if (inputs.size() != graph.inputs.size()) {
    throw Error("model takes " + std::to_string(graph.inputs.size()) + " inputs, given " +
                std::to_string(inputs.size()));
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Value& expected = graph.value(graph.inputs[i]);
    if (inputs[i].dtype() != expected.dtype || inputs[i].shape() != expected.shape) {
      throw Error("input '" + expected.name + "' expects " + std::string(dtype_name(expected.dtype)) + " " +
                  shape_to_string(expected.shape) + ", given " + std::string(dtype_name(inputs[i].dtype())) + " " +
                  shape_to_string(inputs[i].shape()));
    }
  }
}

void Session::run_steps(const std::vector<Tensor>& inputs) const {
  const std::vector<int>& graph_inputs = graph_->inputs;
  for (std::size_t i = 0; i < inputs.size(); ++i) sources_[static_cast<std::size_t>(graph_inputs[i])] = &inputs[i];
  for (std::size_t s = 0; s < steps_.size(); ++s) run_step(s);
}

void Session::run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs) const {
  check_inputs(inputs);
  const std::lock_guard<std::mutex> lock(running_);
  run_steps(inputs);
  const std::vector<int>& graph_outputs = graph_->outputs;
  outputs.resize(graph_outputs.size());
  for (std::size_t i = 0; i < graph_outputs.size(); ++i) {
    outputs[i].assign(*sources_[static_cast<std::size_t>(graph_outputs[i])]);
  }
  for (int input : graph_->inputs) sources_[static_cast<std::size_t>(input)] = nullptr;
}

void Session::run_viewing(const std::vector<Tensor>& inputs,
                          const std::function<void(std::span<const Tensor> outputs)>& visit) const {
  check_inputs(inputs);
  const std::lock_guard<std::mutex> lock(running_);
  run_steps(inputs);
  std::vector<Tensor> views;
  views.reserve(graph_->outputs.size());
  for (int output : graph_->outputs) {
    const Tensor& result = *sources_[static_cast<std::size_t>(output)];
    // An arena value is seen in place; a constant or an input is shared, not copied.
    if (result.is_view()) {
      views.push_back(Tensor::view(result.dtype(), result.shape(), const_cast<std::uint8_t*>(result.raw())));
      views.back().quant = result.quant;
    } else {
      views.push_back(result);
    }
  }
  for (int input : graph_->inputs) sources_[static_cast<std::size_t>(input)] = nullptr;
  visit(views);
}

Tensor run_graph(const Graph& graph, const Tensor& input, RunOptions options) {
  return Session(graph, options).run({input}).front();
}

}  // namespace edgeport
