#include <iostream>

#include "cli/commands.h"
#include "core/error.h"

int main(int argc, char** argv) {
  CLI::App app{"edgeport " EDGEPORT_VERSION
               ": PyTorch checkpoints to quantized ONNX and TFLite, verified against real runtimes"};
  app.set_version_flag("--version", EDGEPORT_VERSION);
  app.require_subcommand(1);
  edgeport::cli::add_export_command(app);
  edgeport::cli::add_run_command(app);
  edgeport::cli::add_info_command(app);
  edgeport::cli::add_verify_command(app);
  edgeport::cli::add_quantize_command(app);
  edgeport::cli::add_bench_command(app);
  edgeport::cli::add_doctor_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  } catch (const edgeport::Error& error) {
    std::cerr << "edgeport: error: " << error.what() << "\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "edgeport: error: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
