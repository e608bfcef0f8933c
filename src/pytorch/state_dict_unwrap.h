#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pytorch/pickle_value.h"

namespace edgeport {

using NamedTensorRefs = std::vector<std::pair<std::string, const pickle::TensorRef*>>;

// Finds the state_dict in a checkpoint's top-level object: the object itself
// when it is a dict holding tensors, else the dict under a wrapper key
// ("state_dict", "model_state_dict", "model", "net"), repeatedly. Entries that
// are not tensors (e.g. _metadata) are skipped. The prefixes shared by every
// key are then stripped (see strip_shared_prefixes).
NamedTensorRefs find_state_dict(const pickle::Value& top, const std::string& origin);

// Removes "module." (DataParallel) and "model." (wrapper modules) while every
// name starts with one of them, so "module.model.conv.weight" -> "conv.weight".
void strip_shared_prefixes(std::vector<std::string>& names);

}  // namespace edgeport
