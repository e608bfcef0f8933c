#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "quant/affine.h"
#include "quant/output_error.h"

namespace edgeport {

// Sweeps over a channel before giving up; each sweep visits every weight once.
constexpr int kMaxRoundingSweeps = 32;

// One weight row (output channel) to round adaptively: its codes come in
// rounded to nearest and leave adaptively rounded.
struct RoundingRow {
  std::span<const double> values;
  AffineParams params;
  CodeRange range;
  const OutputErrorMetric* metric;
  std::span<std::int32_t> codes;
};

// Rounds each row's weights down or up (floor or ceil of value/scale,
// shifted by the zero point and kept within the code range) to lower
// d^T M d, d = dequantized - values: deterministic coordinate-descent sweeps
// in weight order, flipping a weight's rounding direction when that strictly
// lowers the objective, until a sweep flips nothing or kMaxRoundingSweeps. A
// row's objective never rises above nearest rounding's. A diagonal metric
// leaves the codes as they are: each weight's error is then independent and
// nearest is optimal. Returns the number of weights rounded the other way
// than nearest. Consecutive rows that share a metric are measured together:
// M d of their starting errors and the final check's energies take one pass
// over M per block of rows instead of one per row, M being megabytes for a
// wide layer.
std::int64_t adaptive_round_rows(std::span<const RoundingRow> rows);

// Dequantized minus original, per weight, as the runtime dequantizes.
std::vector<double> weight_error(std::span<const double> values, std::span<const std::int32_t> codes,
                                 const AffineParams& params);

}  // namespace edgeport
