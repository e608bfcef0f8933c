#include "quant/compare.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.h"
#include "quant/tensor_quantizer.h"

namespace edgeport {

void ComparisonAccumulator::add(const Tensor& reference, const Tensor& candidate) {
  if (reference.shape() != candidate.shape()) {
    throw Error("cannot compare outputs of shape " + shape_to_string(reference.shape()) + " and " +
                shape_to_string(candidate.shape()));
  }
  const Tensor reference_values = reference.to_float32();
  const Tensor candidate_values = candidate.to_float32();
  const std::span<const float> a = reference_values.values<float>();
  const std::span<const float> b = candidate_values.values<float>();
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double x = a[i];
    const double y = b[i];
    const double difference = std::fabs(x - y);
    // NaN sticks, so a broken candidate (or reference) can never look close.
    if (std::isnan(difference) || difference > max_abs_diff_) max_abs_diff_ = difference;
    if (!std::isfinite(x) || std::fabs(x) > reference_max_abs_) reference_max_abs_ = std::fabs(x);
    abs_diff_sum_ += difference;
    reference_energy_ += x * x;
    candidate_energy_ += y * y;
    difference_energy_ += difference * difference;
    dot_product_ += x * y;
  }
  elements_ += static_cast<std::int64_t>(a.size());
}

ModelComparison ComparisonAccumulator::result() const {
  ModelComparison comparison;
  comparison.elements = elements_;
  comparison.max_abs_diff = max_abs_diff_;
  comparison.reference_max_abs = reference_max_abs_;
  comparison.mean_abs_diff = elements_ == 0 ? 0.0 : abs_diff_sum_ / static_cast<double>(elements_);
  comparison.sqnr_db = sqnr_db(reference_energy_, difference_energy_);
  if (reference_energy_ == 0.0 && candidate_energy_ == 0.0) {
    comparison.cosine_similarity = 1.0;
  } else if (reference_energy_ == 0.0 || candidate_energy_ == 0.0) {
    comparison.cosine_similarity = 0.0;
  } else {
    comparison.cosine_similarity = dot_product_ / std::sqrt(reference_energy_ * candidate_energy_);
  }
  return comparison;
}

double ModelComparison::relative_max_diff() const {
  if (max_abs_diff == 0.0 && reference_max_abs == 0.0) return 0.0;
  return max_abs_diff / reference_max_abs;
}

double FloatTolerance::bound(const ModelComparison& comparison) const {
  return relative * comparison.reference_max_abs + absolute;
}

bool FloatTolerance::holds(const ModelComparison& comparison) const {
  return std::isfinite(comparison.max_abs_diff) && std::isfinite(comparison.reference_max_abs) &&
         comparison.max_abs_diff <= bound(comparison);
}

std::string FloatTolerance::describe() const {
  std::ostringstream text;
  text << "max abs diff <= " << relative << " * max|reference| + " << absolute;
  return text.str();
}

ModelComparison compare_outputs(const Tensor& reference, const Tensor& candidate) {
  ComparisonAccumulator accumulator;
  accumulator.add(reference, candidate);
  return accumulator.result();
}

}  // namespace edgeport
