// The architectures and their options as --arch's help lists them, written
// from the registry so that a new architecture or option shows up by itself.
#include "models/architecture.h"
#include "models/architecture_def.h"

namespace edgeport {
namespace {

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) text += (i ? separator : "") + items[i];
  return text;
}

// "NAME[:key=a|b,count=N]", then where each absent option's value comes from.
std::string describe(const ArchitectureDef& def) {
  std::vector<std::string> forms;
  std::vector<std::string> derived;
  std::vector<std::string> defaults;
  for (const OptionDef& option : def.options) {
    forms.push_back(option.name + "=" + (option.choices.empty() ? "N" : join(option.choices, "|")));
    if (option.derive) {
      derived.push_back(option.name);
    } else {
      defaults.push_back(option.name + "=" + option.fallback);
    }
  }
  std::string text = def.name + (forms.empty() ? "" : "[:" + join(forms, ",") + "]");
  std::vector<std::string> notes;
  if (!derived.empty()) notes.push_back(join(derived, ", ") + " read off the weights");
  if (!defaults.empty()) notes.push_back("default " + join(defaults, ", ") + " (not stored in checkpoints)");
  if (!notes.empty()) text += "\n    " + join(notes, "; ");
  return text;
}

}  // namespace

std::string architecture_help() {
  std::vector<std::string> entries;
  for (const ArchitectureDef& def : architecture_defs()) entries.push_back(describe(def));
  return join(entries, "\n");
}

}  // namespace edgeport
