#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "quant/affine.h"
#include "quant/output_error.h"

namespace edgeport {

// The metrics of the weight rows (output channels) one quantization channel
// spans, in order: one row per channel when quantizing per channel, every row
// of the tensor when per tensor.
using RowMetrics = std::span<const OutputErrorMetric* const>;

// Summed d^T M d over the rows of a channel, d = dequantized codes - values.
double channel_output_error(std::span<const double> values, std::span<const std::int32_t> codes,
                            const AffineParams& params, RowMetrics rows);

// The same for the channel quantized with nearest rounding after clamping to
// [-clip, clip] (no clamp when clip is infinite).
double clipped_output_error(std::span<const double> values, RowMetrics rows, double clip, int bits, bool symmetric);

// The candidate clip value (absmax * k / kMseClipCandidates, as the MSE
// search) that minimises the summed output error of the given channels, each
// quantized with its own parameters; rows[i] belongs to channels[i]. Ties go
// to the larger clip value, so the unclipped range wins unless clipping
// lowers the output error. 0 when all are empty or zero.
double output_optimal_clip(const std::vector<std::span<const double>>& channels, const std::vector<RowMetrics>& rows,
                           int bits, bool symmetric);

}  // namespace edgeport
