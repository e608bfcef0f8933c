#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "quant/compare.h"
#include "quant/quant_config.h"
#include "quant/quantizer.h"

namespace edgeport {

// The configuration with the derived facts a reader needs (code range,
// rounding rule), as stored in the quantized graph's metadata.
nlohmann::json config_json(const QuantConfig& config);

// A human-readable report in the spirit of the seed guide's
// get_quantization_report: the configuration, then per quantized tensor its
// shape, scales, zero points, clip values and how many values they clipped,
// which clips the guard refused, SQNR and max abs error of the dequantized
// weights and bytes before and after; the weights left in float and why; the
// model-level comparison when given.
std::string format_report(const QuantizationResult& result,
                          const std::optional<ModelLevelComparison>& model = std::nullopt);

// The report in about twenty lines whatever the model's size, for the
// terminal: the configuration in one line, the totals, the model-level
// comparison when given, and the `worst` tensors of lowest weight SQNR.
std::string format_report_summary(const QuantizationResult& result,
                                  const std::optional<ModelLevelComparison>& model, std::size_t worst = 5);

// The same content as JSON: {"config", "tensors": [...], "skipped": [...],
// "totals", "model"}; see docs/quantization.md. Infinite SQNR (an exact
// reconstruction) is written as null.
nlohmann::json report_json(const QuantizationResult& result,
                           const std::optional<ModelLevelComparison>& model = std::nullopt);

nlohmann::json comparison_json(const ModelComparison& comparison);

}  // namespace edgeport
