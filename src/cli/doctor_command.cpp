#include <iostream>

#include "cli/commands.h"
#include "pipeline/external_runtimes.h"

namespace edgeport::cli {

void add_doctor_command(CLI::App& app) {
  CLI::App* command =
      app.add_subcommand("doctor", "Say which external runtimes (ONNX Runtime, LiteRT) are installed for checks");
  command->callback([] {
    const ExternalRuntimes runtimes = find_external_runtimes();
    std::cout << "edgeport " << EDGEPORT_VERSION << "\n";
    std::cout << "node:          " << (runtimes.node ? runtimes.node->string() : "not found") << "\n";
    std::cout << "oracle folder: " << (runtimes.oracle_dir ? runtimes.oracle_dir->string() : "not found") << "\n";
    std::cout << "ONNX Runtime:  " << (runtimes.onnxruntime ? "available" : "missing") << "\n";
    std::cout << "LiteRT:        " << (runtimes.litert ? "available" : "missing") << "\n";
    for (const auto& note : runtimes.notes) std::cout << "note: " << note << "\n";
    std::cout << (runtimes.onnxruntime && runtimes.litert
                      ? "export --verify-external and bench --external can run\n"
                      : "export --verify-external needs both; bench --external measures what is available\n");
  });
}

}  // namespace edgeport::cli
