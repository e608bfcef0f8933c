#include "pipeline/detection.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <vector>

#include "core/error.h"

namespace edgeport {

namespace {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

bool is_patch_detector(const Graph& graph) {
  auto architecture = graph.metadata.find("architecture");
  return architecture != graph.metadata.end() && architecture->second.rfind("tiny_ladeda", 0) == 0;
}

Aggregation Aggregation::parse(const std::string& text) {
  if (text == "mean") return {Kind::Mean, 0};
  if (text == "max") return {Kind::Max, 0};
  if (text == "topk") return {Kind::TopK, 0};
  if (text.rfind("topk:", 0) == 0) {
    const std::string count = text.substr(5);
    std::size_t used = 0;
    long long k = 0;
    try {
      k = std::stoll(count, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != count.size() || k <= 0) throw Error("--aggregate topk:K needs a positive whole K, got '" + count + "'");
    return {Kind::TopK, k};
  }
  throw Error("--aggregate must be mean, max or topk[:K], got '" + text + "'");
}

std::string Aggregation::to_string() const {
  switch (kind) {
    case Kind::Mean: return "mean";
    case Kind::Max: return "max";
    case Kind::TopK: return k > 0 ? "topk:" + std::to_string(k) : "topk";
  }
  return "mean";
}

DetectionSummary summarize_patch_logits(const Tensor& logits, const Aggregation& aggregation) {
  std::span<const float> values = logits.values<float>();
  if (values.empty()) throw Error("the model produced an empty output");
  DetectionSummary summary;
  summary.patches = static_cast<std::int64_t>(values.size());
  summary.fraction_above_half =
      static_cast<double>(std::count_if(values.begin(), values.end(), [](float v) { return v > 0.0f; })) /
      static_cast<double>(values.size());
  switch (aggregation.kind) {
    case Aggregation::Kind::Mean:
      summary.aggregated_logit = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
      summary.k_used = summary.patches;
      break;
    case Aggregation::Kind::Max:
      summary.aggregated_logit = *std::max_element(values.begin(), values.end());
      summary.k_used = 1;
      break;
    case Aggregation::Kind::TopK: {
      const auto default_k = std::max<std::int64_t>(5, static_cast<std::int64_t>(std::ceil(0.1 * summary.patches)));
      const std::int64_t k = std::min(summary.patches, aggregation.k > 0 ? aggregation.k : default_k);
      std::vector<float> sorted(values.begin(), values.end());
      std::partial_sort(sorted.begin(), sorted.begin() + k, sorted.end(), std::greater<float>());
      summary.aggregated_logit = std::accumulate(sorted.begin(), sorted.begin() + k, 0.0) / static_cast<double>(k);
      summary.k_used = k;
      break;
    }
  }
  summary.fake_probability = sigmoid(summary.aggregated_logit);
  return summary;
}

Tensor patch_probabilities(const Tensor& logits) {
  if (logits.rank() != 4 || logits.dim(0) != 1 || logits.dim(1) != 1) {
    throw Error("a heatmap needs a [1,1,H,W] patch-logit map, the model gives " + shape_to_string(logits.shape()));
  }
  Tensor probabilities(DType::Float32, {logits.dim(2), logits.dim(3)});
  const float* source = logits.data<float>();
  float* target = probabilities.data<float>();
  for (std::int64_t i = 0; i < probabilities.numel(); ++i) target[i] = static_cast<float>(sigmoid(source[i]));
  return probabilities;
}

}  // namespace edgeport
