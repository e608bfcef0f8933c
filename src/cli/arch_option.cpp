#include "cli/arch_option.h"

#include "models/architecture.h"

namespace edgeport::cli {

void add_arch_option(CLI::App& command, std::string& arch) {
  // CLI11 starts every line of a description at the description column; two
  // more spaces set the list apart from the sentence above it.
  std::string help = architecture_help();
  for (std::size_t at = help.find('\n'); at != std::string::npos; at = help.find('\n', at + 1)) {
    help.insert(at + 1, "  ");
  }
  command.add_option("--arch", arch,
                     "Architecture of a PyTorch checkpoint, NAME[:key=value,...]; without it, inferred from the "
                     "checkpoint's keys. .onnx, .tflite and .eqm files carry their own graph.\n  " + help);
}

}  // namespace edgeport::cli
