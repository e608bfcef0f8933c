#include <algorithm>
#include <charconv>

#include "core/error.h"
#include "models/architecture_def.h"

namespace edgeport {
namespace {

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) text += (i ? separator : "") + items[i];
  return text;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

ArchSpec ArchSpec::parse(const std::string& text) {
  const std::size_t colon = text.find(':');
  ArchSpec spec;
  spec.name = trimmed(text.substr(0, colon));
  if (spec.name.empty()) throw Error("architecture spec '" + text + "' names no architecture");
  const ArchitectureDef& def = find_architecture(spec.name);
  if (colon != std::string::npos) {
    const std::string list = text.substr(colon + 1);
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t comma = std::min(list.find(',', start), list.size());
      const std::string item = list.substr(start, comma - start);
      const std::size_t equals = item.find('=');
      const std::string key = trimmed(item.substr(0, equals));
      const std::string value = equals == std::string::npos ? "" : trimmed(item.substr(equals + 1));
      if (equals == std::string::npos || key.empty() || value.empty()) {
        throw Error("architecture spec '" + text + "': option '" + item + "' is not key=value");
      }
      if (!spec.options.emplace(key, value).second) {
        throw Error("architecture spec '" + text + "': option " + key + " is given twice");
      }
      start = comma + 1;
    }
  }
  resolve_options(def, spec);
  return spec;
}

std::string ArchSpec::to_string() const {
  std::vector<std::string> items;
  for (const auto& [key, value] : options) items.push_back(key + "=" + value);
  return items.empty() ? name : name + ":" + join(items, ",");
}

std::int64_t positive_integer_option(const std::string& architecture, const std::string& option,
                                     const std::string& value) {
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size() || number <= 0) {
    throw Error(architecture + ": option " + option + "=" + value + " is not a positive integer");
  }
  return number;
}

bool option_read_from_weights(const std::string& architecture, const std::string& option) {
  const ArchitectureDef& def = find_architecture(architecture);
  for (const OptionDef& candidate : def.options) {
    if (candidate.name == option) return static_cast<bool>(candidate.derive);
  }
  throw Error(architecture + ": unknown option '" + option + "'");
}

ArchSpec resolve_options(const ArchitectureDef& def, const ArchSpec& spec, const CheckedStateDict* weights) {
  ArchSpec resolved{def.name, {}};
  std::vector<std::string> known;
  for (const OptionDef& option : def.options) known.push_back(option.name);
  for (const auto& [key, value] : spec.options) {
    const auto option = std::find_if(def.options.begin(), def.options.end(),
                                     [&key](const OptionDef& candidate) { return candidate.name == key; });
    if (option == def.options.end()) {
      throw Error(def.name + ": unknown option '" + key + "'" +
                  (known.empty() ? " (it takes none)" : " (options: " + join(known, ", ") + ")"));
    }
    if (option->choices.empty()) {
      positive_integer_option(def.name, key, value);
    } else if (std::find(option->choices.begin(), option->choices.end(), value) == option->choices.end()) {
      throw Error(def.name + ": option " + key + "=" + value + " is not one of " + join(option->choices, "|"));
    }
    resolved.options[key] = value;
  }
  for (const OptionDef& option : def.options) {
    if (resolved.options.count(option.name)) continue;
    if (!option.derive) {
      resolved.options[option.name] = option.fallback;
    } else if (weights) {
      resolved.options[option.name] = option.derive(*weights);
    }
  }
  return resolved;
}

}  // namespace edgeport
