#include "models/classifier_head.h"

namespace edgeport {

OptionDef num_classes_option(const std::string& classifier_weight) {
  OptionDef option{"num_classes", {}, "", {}};
  option.derive = [classifier_weight](const CheckedStateDict& weights) {
    const Tensor* weight = weights.peek(classifier_weight);
    if (weight && weight->rank() == 2 && weight->dim(0) > 0) return std::to_string(weight->dim(0));
    return std::string("1000");
  };
  return option;
}

}  // namespace edgeport
