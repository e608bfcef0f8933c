// What --help says about the models edgeport takes: export names every format
// it reads, and every command that loads a checkpoint lists each architecture
// of the registry in src/models/ with its options, each listed value one that
// --arch accepts.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

#include "cli_runner.h"
#include "models/architecture_def.h"

namespace edgeport::testing {
namespace {

TEST(Help, ExportSaysWhichModelFilesItTakes) {
  const CommandResult result = run_edgeport("export --help");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  for (const char* named : {".pt", ".onnx", "torch.onnx.export", ".tflite"}) {
    EXPECT_NE(result.output.find(named), std::string::npos) << named << " missing from:\n" << result.output;
  }
  const CommandResult top = run_edgeport("--help");
  EXPECT_NE(top.output.find("ONNX models to quantized ONNX and TFLite"), std::string::npos) << top.output;
}

// The line after an architecture's spec: where each absent option comes from.
std::string expected_note(const ArchitectureDef& def) {
  std::string derived;
  std::string defaults;
  for (const OptionDef& option : def.options) {
    std::string& list = option.derive ? derived : defaults;
    list += (list.empty() ? "" : ", ") + (option.derive ? option.name : option.name + "=" + option.fallback);
  }
  std::string note = derived.empty() ? "" : derived + " read off the weights";
  if (!defaults.empty()) note += (note.empty() ? "" : "; ") + ("default " + defaults + " (not stored in checkpoints)");
  return note;
}

// Help text lines: "  NAME[:key=a|b,count=N]" and the note on the next line.
struct ListedArchitecture {
  std::string options;
  std::string note;
};

std::map<std::string, ListedArchitecture> listed_architectures(const std::string& help) {
  const std::vector<std::string> names = architecture_names();
  const std::regex spec_line(R"(^\s+([a-z_0-9]+)(\[:(.*)\])?$)");
  std::istringstream lines(help);
  std::map<std::string, ListedArchitecture> listed;
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch match;
    if (!std::regex_match(line, match, spec_line)) continue;
    if (std::find(names.begin(), names.end(), match[1].str()) == names.end()) continue;
    ListedArchitecture& entry = listed[match[1].str()];
    entry.options = match[3].str();
    if (std::getline(lines, line)) entry.note = line.substr(std::min(line.find_first_not_of(' '), line.size()));
  }
  return listed;
}

class ArchHelp : public ::testing::TestWithParam<std::string> {};

TEST_P(ArchHelp, ListsEveryArchitectureAndOptionOfTheRegistry) {
  const CommandResult result = run_edgeport(GetParam() + " --help");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const std::map<std::string, ListedArchitecture> listed = listed_architectures(result.output);
  EXPECT_EQ(listed.size(), architecture_defs().size()) << result.output;
  for (const ArchitectureDef& def : architecture_defs()) {
    const auto found = listed.find(def.name);
    ASSERT_NE(found, listed.end()) << def.name << " missing from:\n" << result.output;
    std::string options;
    for (const OptionDef& option : def.options) {
      std::string values;
      for (const std::string& choice : option.choices) values += (values.empty() ? "" : "|") + choice;
      options += (options.empty() ? "" : ",") + option.name + "=" + (values.empty() ? "N" : values);
    }
    EXPECT_EQ(found->second.options, options) << def.name;
    EXPECT_EQ(found->second.note, expected_note(def)) << def.name;
  }
}

// Every value the help lists is one --arch takes.
TEST_P(ArchHelp, EveryListedValueParses) {
  const CommandResult result = run_edgeport(GetParam() + " --help");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  int values = 0;
  for (const auto& [name, entry] : listed_architectures(result.output)) {
    std::istringstream options(entry.options);
    std::string option;
    while (std::getline(options, option, ',')) {
      const std::string key = option.substr(0, option.find('='));
      std::istringstream choices(option.substr(option.find('=') + 1));
      std::string value;
      while (std::getline(choices, value, '|')) {
        const std::string spec = name + ":" + key + "=" + (value == "N" ? "7" : value);
        EXPECT_NO_THROW(ArchSpec::parse(spec)) << spec;
        ++values;
      }
    }
  }
  EXPECT_GT(values, 10);
}

INSTANTIATE_TEST_SUITE_P(Commands, ArchHelp, ::testing::Values("run", "verify", "quantize", "export", "bench"));

}  // namespace
}  // namespace edgeport::testing
