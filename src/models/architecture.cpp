#include "models/architecture.h"

#include "core/error.h"
#include "models/architecture_def.h"

namespace edgeport {
namespace {

void check_input_shape(const ArchitectureDef& def, const ArchSpec& spec, const Shape& input) {
  if (input.size() != 4 || input[0] < 1 || input[1] != 3) {
    throw Error(def.name + ": input shape " + shape_to_string(input) + " is not [N,3,H,W] with N >= 1");
  }
  if (input[2] < def.min_extent || input[3] < def.min_extent) {
    throw Error(def.name + ": input shape " + shape_to_string(input) + " is too small; H and W must be at least " +
                std::to_string(def.min_extent));
  }
  if (def.check_input) def.check_input(spec, input);
}

struct Assembly {
  Graph graph;
  ArchSpec resolved;
  StateDictMismatch mismatch;
};

// Builds the graph and reports the state_dict's problems instead of throwing
// on them, so infer_architecture can try every architecture.
Assembly assemble(const ArchitectureDef& def, const ArchSpec& spec, const StateDict& state_dict,
                  const Shape& input_shape, bool probing = false) {
  CheckedStateDict weights(state_dict, probing);
  Assembly assembly{Graph(), resolve_options(def, spec, &weights), {}};
  Graph& graph = assembly.graph;
  ModelBuilder builder(graph, weights);
  const int input = graph.add_input("input", DType::Float32, input_shape);
  const int output = def.build(builder, assembly.resolved, input);
  graph.value(output).name = "output";
  graph.mark_output(output);
  assembly.mismatch = weights.mismatch();
  return assembly;
}

}  // namespace

std::map<std::string, std::string> imagenet_normalization() {
  return {{"input_mean", "0.485,0.456,0.406"}, {"input_std", "0.229,0.224,0.225"}};
}

const std::vector<ArchitectureDef>& architecture_defs() {
  static const std::vector<ArchitectureDef> defs = {tiny_ladeda_architecture(), resnet18_architecture(),
                                                    mobilenet_v2_architecture(), ladeda_architecture()};
  return defs;
}

const ArchitectureDef& find_architecture(const std::string& name) {
  for (const ArchitectureDef& def : architecture_defs()) {
    if (def.name == name) return def;
  }
  std::string known;
  for (const ArchitectureDef& def : architecture_defs()) known += (known.empty() ? "" : ", ") + def.name;
  throw Error("unknown architecture '" + name + "' (known: " + known + ")");
}

std::vector<std::string> architecture_names() {
  std::vector<std::string> names;
  for (const ArchitectureDef& def : architecture_defs()) names.push_back(def.name);
  return names;
}

Graph build_model(const ArchSpec& spec, const StateDict& state_dict, const BuildOptions& options) {
  const ArchitectureDef& def = find_architecture(spec.name);
  const Shape input_shape = options.input_shape.empty() ? def.default_input : options.input_shape;
  check_input_shape(def, resolve_options(def, spec), input_shape);
  Assembly assembly = assemble(def, spec, state_dict, input_shape);
  if (!assembly.mismatch.empty()) throw Error(assembly.mismatch.describe(spec.to_string()));
  Graph& graph = assembly.graph;
  graph.metadata = def.metadata;
  graph.metadata["architecture"] = spec.to_string();
  graph.validate();
  return std::move(graph);
}

std::optional<ArchSpec> infer_architecture(const StateDict& state_dict) {
  std::optional<ArchSpec> found;
  for (const ArchitectureDef& def : architecture_defs()) {
    try {
      const Assembly assembly = assemble(def, ArchSpec{def.name, {}}, state_dict, def.default_input, true);
      if (!assembly.mismatch.keys_match()) continue;
      if (found) return std::nullopt;
      found = assembly.resolved;
    } catch (const CheckedStateDict::KeyMissing&) {
      continue;
    }
  }
  return found;
}

}  // namespace edgeport
