#pragma once

#include <string>

#include "models/architecture_def.h"

namespace edgeport {

// torchvision's num_classes option: when absent, the row count of the
// classifier's weight in the state_dict, or 1000 when that is unusable.
OptionDef num_classes_option(const std::string& classifier_weight);

}  // namespace edgeport
