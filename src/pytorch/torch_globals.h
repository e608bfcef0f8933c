#pragma once

#include <string>

#include "pytorch/pickle_value.h"

namespace edgeport::pickle {

// The allow-list. A checkpoint may only name the globals torch.save emits for
// a state_dict (OrderedDict, tensor and parameter rebuilders, typed storages,
// dtypes) and a few plain builtins; every other name is refused with an
// Error naming it. Nothing is ever imported or called: each allowed global is
// a tag, and calling it builds plain data.
Value* load_global(const std::string& module, const std::string& name, ValueArena& arena,
                   const std::string& origin);

// REDUCE: callable(*args).
Value* call_global(const Value& callable, const Value& args, ValueArena& arena, const std::string& origin);

// NEWOBJ / NEWOBJ_EX: cls.__new__(cls, *args); only for allow-listed classes.
Value* construct_global(const Value& cls, const Value& args, ValueArena& arena, const std::string& origin);

// BINPERSID: torch.save's ('storage', <storage type>, key, location, numel).
Value* persistent_load(const Value& pid, ValueArena& arena, const std::string& origin);

}  // namespace edgeport::pickle
