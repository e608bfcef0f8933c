#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "core/error.h"

namespace {

// The runtime's large convolutions run on oneDNN, which Debian builds on
// OpenMP. OpenMP's idle threads spin after every parallel call unless
// OMP_WAIT_POLICY says otherwise, and with --threads 2 on two cores they take
// the cores from the runtime's own workers (resnet18: 928 ms a run instead of
// 62). OpenMP reads the variable once, before main, so edgeport starts itself
// again with it set; when that fails it runs as it is.
void restart_with_passive_openmp(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  ::setenv("OMP_WAIT_POLICY", "passive", 1);
  ::execv("/proc/self/exe", argv);
}

}  // namespace

int main(int argc, char** argv) {
  restart_with_passive_openmp(argv);
  CLI::App app{"edgeport " EDGEPORT_VERSION
               ": PyTorch checkpoints and ONNX models to quantized ONNX and TFLite, verified against real runtimes"};
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
