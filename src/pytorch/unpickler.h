#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "pytorch/pickle_value.h"

namespace edgeport::pickle {

// Runs the pickle program of a torch.save data.pkl (protocols 2 to 5) and
// returns the object it builds, owned by `arena`. It is a pure data builder:
// globals go through the allow-list in torch_globals.h, INST/OBJ and the
// extension registry are refused, and every length is checked against the
// bytes that remain. Errors start with `origin`.
Value* unpickle(std::span<const std::uint8_t> bytes, ValueArena& arena, const std::string& origin);

}  // namespace edgeport::pickle
