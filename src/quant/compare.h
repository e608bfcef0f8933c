#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace edgeport {

// How far a candidate output is from the reference output.
struct ModelComparison {
  double max_abs_diff = 0.0;
  double mean_abs_diff = 0.0;
  double sqnr_db = 0.0;  // reference energy over difference energy; +inf when identical
  double cosine_similarity = 1.0;
  double reference_max_abs = 0.0;  // the output scale: max |reference|
  std::int64_t elements = 0;

  // max abs diff over the output scale; NaN when either is NaN.
  double relative_max_diff() const;
};

// How close a float32 artifact must be to the float model. Trained detectors
// give logits of 1e3 to 1e5, where float32 rounding alone exceeds any fixed
// absolute bound, so the bound grows with the output scale:
//   max abs diff <= relative * max|reference| + absolute.
// NaN or Inf anywhere never passes.
struct FloatTolerance {
  double relative = 1e-5;
  double absolute = 1e-6;

  double bound(const ModelComparison& comparison) const;
  bool holds(const ModelComparison& comparison) const;
  std::string describe() const;
};

// Element-wise comparison of two tensors of the same shape (any dtype; values
// are compared as float32 would hold them). Throws Error on a shape mismatch.
ModelComparison compare_outputs(const Tensor& reference, const Tensor& candidate);

// Accumulates a comparison over several tensor pairs: the maximum of the
// maxima, means and energies over all elements.
class ComparisonAccumulator {
 public:
  void add(const Tensor& reference, const Tensor& candidate);
  ModelComparison result() const;

 private:
  double max_abs_diff_ = 0.0;
  double abs_diff_sum_ = 0.0;
  double reference_max_abs_ = 0.0;
  double reference_energy_ = 0.0;
  double candidate_energy_ = 0.0;
  double difference_energy_ = 0.0;
  double dot_product_ = 0.0;
  std::int64_t elements_ = 0;
};

// Figures per labelled input set and over all of them; running the models is
// pipeline/compare_models.h's job.
struct ModelLevelComparison {
  std::vector<std::pair<std::string, ModelComparison>> per_input;
  ModelComparison overall;  // over every output element of every input
};

}  // namespace edgeport
