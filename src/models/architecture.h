#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/graph.h"
#include "pytorch/state_dict.h"

namespace edgeport {

// "--arch NAME[:key=value,...]", e.g. "tiny_ladeda:preprocess=x_grad,pool=true".
struct ArchSpec {
  std::string name;
  std::map<std::string, std::string> options;

  static ArchSpec parse(const std::string& text);
  std::string to_string() const;
};

struct BuildOptions {
  // Input shape NCHW; empty means the architecture's default
  // ([1,3,256,256] for tiny_ladeda and ladeda, [1,3,224,224] for resnet18 /
  // mobilenet_v2).
  Shape input_shape;
};

// Builds the float graph (NCHW, input "input", output "output") of a named
// architecture from a state_dict, checked like load_state_dict(strict=True):
// one Error lists every missing key, unexpected key and shape mismatch.
// num_batches_tracked entries are ignored. BatchNorm stays unfolded; see
// passes/. Sets graph.metadata: "architecture", "input_mean", "input_std"
// (comma-separated, when the architecture expects normalized input).
Graph build_model(const ArchSpec& spec, const StateDict& state_dict, const BuildOptions& options = {});

// The single architecture whose key set matches, with default options;
// std::nullopt when none or several match.
std::optional<ArchSpec> infer_architecture(const StateDict& state_dict);

std::vector<std::string> architecture_names();

// Every architecture with its options, for --arch's help: per architecture a
// line "NAME[:key=a|b,...]" (N for an integer), then an indented line saying
// which absent options are read off the weights and which take a default.
std::string architecture_help();

// Whether the architecture reads the option off the weights when it is not
// given (resnet18's num_classes); otherwise the option takes a fixed default
// that no checkpoint stores (tiny_ladeda's preprocess). An Error names an
// unknown architecture or option.
bool option_read_from_weights(const std::string& architecture, const std::string& option);

}  // namespace edgeport
