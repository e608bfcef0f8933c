#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "pytorch/state_dict.h"

namespace edgeport {

// What `edgeport info` reports for a checkpoint's state_dict: every tensor
// (name, dtype, shape, bytes), the tensor count, the parameter count
// (BatchNorm running statistics excluded), elements and tensor bytes.
nlohmann::json checkpoint_info(const StateDict& state_dict);

// The table `edgeport info` prints. It also reads the keys the caller adds
// around checkpoint_info: "file", "file_bytes", "sha256", "architecture" (a
// spec string, or null when the keys do not tell), "architecture_name" and
// "architecture_options" ({name, value, source}, source "inferred" when the
// weights' shapes gave the value, "default" when nothing in the file could).
std::string format_checkpoint_info(const nlohmann::json& info);

}  // namespace edgeport
