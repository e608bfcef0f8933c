#include "pipeline/run_text.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace edgeport {

namespace {

std::string format_number(double value) {
  std::ostringstream text;
  text << std::setprecision(6) << value;
  return text.str();
}

}  // namespace

OutputStats output_stats(const Tensor& output) {
  std::span<const float> values = output.values<float>();
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  double sum = 0;
  for (float value : values) sum += value;
  return {*low, *high, sum / static_cast<double>(values.size())};
}

std::string describe_output(const Tensor& output) {
  const OutputStats stats = output_stats(output);
  return "shape " + shape_to_string(output.shape()) + ", range [" + format_number(stats.low) + ", " +
         format_number(stats.high) + "], mean " + format_number(stats.mean);
}

std::string describe_detection(const DetectionSummary& summary, const Aggregation& aggregation) {
  std::ostringstream text;
  // Six decimals: the probability is compared with the user's PyTorch
  // pipeline to 1e-4, and trained detectors saturate it, so the logit follows.
  text << std::fixed << std::setprecision(6) << "fake probability " << summary.fake_probability << ", "
       << (summary.fake_probability > 0.5 ? "fake" : "real") << " (" << aggregation.to_string();
  if (aggregation.kind == Aggregation::Kind::TopK) text << ", k=" << summary.k_used;
  text << " of " << summary.patches << " patch logits = " << std::defaultfloat << std::setprecision(6)
       << summary.aggregated_logit << "), patches above 0.5: " << std::fixed << std::setprecision(1)
       << 100.0 * summary.fraction_above_half << "%";
  return text.str();
}

std::vector<std::string> heatmap_caption(const DetectionSummary& summary, const Aggregation& aggregation,
                                         const std::string& legend) {
  std::ostringstream score;
  score << std::fixed << std::setprecision(6) << "fake probability " << summary.fake_probability << ": "
        << (summary.fake_probability > 0.5 ? "fake" : "real") << " at 0.5";
  std::ostringstream how;
  how << "= sigmoid(";
  switch (aggregation.kind) {
    case Aggregation::Kind::Mean: how << "mean of " << summary.patches; break;
    case Aggregation::Kind::Max: how << "max of " << summary.patches; break;
    case Aggregation::Kind::TopK: how << "mean of the " << summary.k_used << " largest of " << summary.patches; break;
  }
  how << " patch logits = " << std::setprecision(4) << summary.aggregated_logit << ")";
  return {score.str(), how.str(), legend};
}

}  // namespace edgeport
