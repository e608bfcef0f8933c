#include "models/classifier_head.h"

#include "models/architecture_def.h"

namespace edgeport {

std::int64_t num_classes(const CheckedStateDict& weights, const ArchSpec& spec, const std::string& classifier_weight) {
  const auto option = spec.options.find("num_classes");
  if (option != spec.options.end()) return positive_integer_option(spec, option->first, option->second);
  const Tensor* weight = weights.peek(classifier_weight);
  if (weight && weight->rank() == 2 && weight->dim(0) > 0) return weight->dim(0);
  return 1000;
}

}  // namespace edgeport
