#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "runtime/kernel.h"

namespace edgeport::cli {

// --integer-arithmetic, shared by run and verify: how a full-int8 file's
// quantized ops compute in edgeport's runtime.
void add_integer_arithmetic_option(CLI::App& command, std::string& name);

// Throws edgeport::Error naming the accepted values.
IntegerArithmetic parse_integer_arithmetic(const std::string& name);

}  // namespace edgeport::cli
