#pragma once

#include <CLI/CLI.hpp>

namespace edgeport::cli {

// Ranges of numeric flags. CLI11 converts "nan" and "inf" to a double
// happily, and a negative tolerance would silently mean "no bound"; each
// floating-point flag says which finite values make sense.
CLI::Validator finite_at_least(double minimum);
CLI::Validator probability();            // finite, in [0, 1]
CLI::Validator percentile();             // finite, in (0, 100]

}  // namespace edgeport::cli
