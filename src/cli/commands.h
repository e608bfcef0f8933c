#pragma once

#include <CLI/CLI.hpp>

namespace edgeport::cli {

// Each adds one subcommand to the app; its callback calls the library.
void add_run_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_verify_command(CLI::App& app);
void add_quantize_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_doctor_command(CLI::App& app);

}  // namespace edgeport::cli
