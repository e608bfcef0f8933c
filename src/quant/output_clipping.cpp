#include "quant/output_clipping.h"

#include "quant/adaptive_rounding.h"
#include "quant/clipping.h"

namespace edgeport {

double channel_output_error(std::span<const double> values, std::span<const std::int32_t> codes,
                            const AffineParams& params, RowMetrics rows) {
  const std::vector<double> error = weight_error(values, codes, params);
  const std::size_t row_size = rows.empty() ? 0 : error.size() / rows.size();
  double total = 0.0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    total += rows[r]->energy(std::span<const double>(error).subspan(r * row_size, row_size));
  }
  return total;
}

double clipped_output_error(std::span<const double> values, RowMetrics rows, double clip, int bits, bool symmetric) {
  std::vector<std::int32_t> codes;
  const ChannelFit fit = fit_channel(values, clip, bits, symmetric, &codes);
  return channel_output_error(values, codes, fit.params, rows);
}

double output_optimal_clip(const std::vector<std::span<const double>>& channels, const std::vector<RowMetrics>& rows,
                           int bits, bool symmetric) {
  return best_clip_candidate(channels, [&](double clip) {
    double error = 0.0;
    for (std::size_t c = 0; c < channels.size(); ++c) {
      error += clipped_output_error(channels[c], rows[c], clip, bits, symmetric);
    }
    return error;
  });
}

}  // namespace edgeport
