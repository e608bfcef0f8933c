#pragma once

#include <functional>
#include <span>
#include <vector>

namespace edgeport {

// The P-th percentile (0 < P <= 100) of |x| with linear interpolation between
// order statistics, as torch.quantile and np.percentile(method="linear") do.
// The interpolation is written as NumPy writes it (a + (b-a)*t below t=0.5,
// b - (b-a)*(1-t) from there) so the test vectors match bit for bit.
// 0 for an empty span.
double abs_percentile(std::span<const double> values, double percentile);

// Candidates tried by the MSE search: absmax * k / kMseClipCandidates for
// k = 1..kMseClipCandidates; the last one is the unclipped range.
constexpr int kMseClipCandidates = 100;

// The candidate clip value with the lowest `error(clip)`; ties go to the
// larger clip value. 0 when all channels are empty or zero.
double best_clip_candidate(const std::vector<std::span<const double>>& channels,
                           const std::function<double(double clip)>& error);

// The candidate clip value that minimises the summed reconstruction error of
// the given channels, each quantized with its own parameters after clamping
// to [-clip, clip]. Ties go to the larger clip value. 0 when all are empty
// or zero.
double mse_optimal_clip(const std::vector<std::span<const double>>& channels, int bits, bool symmetric);

}  // namespace edgeport
