#pragma once

#include <string>

#include "models/architecture.h"
#include "models/state_dict_check.h"

namespace edgeport {

// The num_classes option when given; otherwise the row count of the
// classifier's weight in the state_dict; otherwise torchvision's 1000.
std::int64_t num_classes(const CheckedStateDict& weights, const ArchSpec& spec, const std::string& classifier_weight);

}  // namespace edgeport
