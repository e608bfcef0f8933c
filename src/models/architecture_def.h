#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/architecture.h"
#include "models/model_builder.h"
#include "models/state_dict_check.h"

namespace edgeport {

struct OptionDef {
  std::string name;
  // Accepted values; empty means a positive integer.
  std::vector<std::string> choices;
  // Used when the option is absent: `derive` reads it off the weights when
  // set, `fallback` is the fixed default otherwise.
  std::string fallback;
  std::function<std::string(const CheckedStateDict& weights)> derive;
};

// Everything the generic code needs to know about one architecture; each
// lives in its own file.
struct ArchitectureDef {
  std::string name;
  std::vector<OptionDef> options;
  Shape default_input;
  // Smallest H and W the layers accept.
  std::int64_t min_extent = 1;
  std::map<std::string, std::string> metadata;
  // Extra input rules of some option values; may be empty.
  std::function<void(const ArchSpec& spec, const Shape& input)> check_input;
  // Adds the layers after `input` and returns the output value.
  std::function<int(ModelBuilder& builder, const ArchSpec& spec, int input)> build;
};

ArchitectureDef tiny_ladeda_architecture();
ArchitectureDef resnet18_architecture();
ArchitectureDef mobilenet_v2_architecture();
ArchitectureDef ladeda_architecture();

const std::vector<ArchitectureDef>& architecture_defs();
// Throws an Error listing the known names.
const ArchitectureDef& find_architecture(const std::string& name);
// The spec with every option checked against the definition and every
// absent option filled in (derived ones only when `weights` is given); an
// Error names any unknown option or value.
ArchSpec resolve_options(const ArchitectureDef& def, const ArchSpec& spec, const CheckedStateDict* weights = nullptr);
// Positive integer option value; `architecture` names the spec in errors.
std::int64_t positive_integer_option(const std::string& architecture, const std::string& option,
                                     const std::string& value);

// ImageNet normalisation, which both the user's student and torchvision's
// classifiers expect.
std::map<std::string, std::string> imagenet_normalization();

}  // namespace edgeport
