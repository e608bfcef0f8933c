#include "cli/number_checks.h"

#include <cmath>
#include <string>

namespace edgeport::cli {

namespace {

CLI::Validator finite_range(double low, bool low_inclusive, double high, const std::string& description) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(value)) return "'" + text + "' is not a finite number";
        if (value < low || (!low_inclusive && value == low) || value > high) return "'" + text + "' is not " + description;
        return {};
      },
      description);
}

}  // namespace

CLI::Validator finite_at_least(double minimum) {
  std::string bound = std::to_string(minimum);
  bound.erase(bound.find_last_not_of('0') + 1);
  if (!bound.empty() && bound.back() == '.') bound.pop_back();
  return finite_range(minimum, true, HUGE_VAL, ">= " + bound);
}

CLI::Validator probability() { return finite_range(0.0, true, 1.0, "in [0, 1]"); }

CLI::Validator percentile() { return finite_range(0.0, false, 100.0, "in (0, 100]"); }

}  // namespace edgeport::cli
