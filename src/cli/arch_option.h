#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace edgeport::cli {

// --arch, shared by every command that loads a checkpoint; its help lists the
// architectures and their options from the registry in src/models/.
void add_arch_option(CLI::App& command, std::string& arch);

}  // namespace edgeport::cli
