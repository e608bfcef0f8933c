#include "pytorch/torch_globals.h"

#include <array>
#include <cctype>
#include <optional>

#include "core/error.h"

namespace edgeport::pickle {

namespace {

struct AllowedGlobal {
  std::string_view qualified_name;
  GlobalId id;
  DType dtype = DType::Float32;
};

// Protocol 2 pickles written by Python 3 spell builtins '__builtin__'.
constexpr std::array kAllowList{
    AllowedGlobal{"collections.OrderedDict", GlobalId::OrderedDict},
    AllowedGlobal{"builtins.set", GlobalId::Set},
    AllowedGlobal{"__builtin__.set", GlobalId::Set},
    AllowedGlobal{"builtins.frozenset", GlobalId::FrozenSet},
    AllowedGlobal{"__builtin__.frozenset", GlobalId::FrozenSet},
    AllowedGlobal{"_codecs.encode", GlobalId::CodecsEncode},
    AllowedGlobal{"torch.Size", GlobalId::TorchSize},
    AllowedGlobal{"torch._utils._rebuild_tensor_v2", GlobalId::RebuildTensorV2},
    AllowedGlobal{"torch._utils._rebuild_parameter", GlobalId::RebuildParameter},
    AllowedGlobal{"torch._utils._rebuild_parameter_with_state", GlobalId::RebuildParameterWithState},
    AllowedGlobal{"torch.FloatStorage", GlobalId::StorageType, DType::Float32},
    AllowedGlobal{"torch.HalfStorage", GlobalId::StorageType, DType::Float16},
    AllowedGlobal{"torch.BFloat16Storage", GlobalId::StorageType, DType::BFloat16},
    AllowedGlobal{"torch.DoubleStorage", GlobalId::StorageType, DType::Float64},
    AllowedGlobal{"torch.LongStorage", GlobalId::StorageType, DType::Int64},
    AllowedGlobal{"torch.IntStorage", GlobalId::StorageType, DType::Int32},
    AllowedGlobal{"torch.ShortStorage", GlobalId::StorageType, DType::Int16},
    AllowedGlobal{"torch.CharStorage", GlobalId::StorageType, DType::Int8},
    AllowedGlobal{"torch.ByteStorage", GlobalId::StorageType, DType::UInt8},
    AllowedGlobal{"torch.BoolStorage", GlobalId::StorageType, DType::Bool},
    AllowedGlobal{"torch.float32", GlobalId::TorchDType, DType::Float32},
    AllowedGlobal{"torch.float16", GlobalId::TorchDType, DType::Float16},
    AllowedGlobal{"torch.bfloat16", GlobalId::TorchDType, DType::BFloat16},
    AllowedGlobal{"torch.float64", GlobalId::TorchDType, DType::Float64},
    AllowedGlobal{"torch.int64", GlobalId::TorchDType, DType::Int64},
    AllowedGlobal{"torch.int32", GlobalId::TorchDType, DType::Int32},
    AllowedGlobal{"torch.int16", GlobalId::TorchDType, DType::Int16},
    AllowedGlobal{"torch.int8", GlobalId::TorchDType, DType::Int8},
    AllowedGlobal{"torch.uint8", GlobalId::TorchDType, DType::UInt8},
    AllowedGlobal{"torch.bool", GlobalId::TorchDType, DType::Bool},
};

[[noreturn]] void fail(const std::string& origin, const Value& callable, const std::string& problem) {
  throw Error(origin + ": data.pkl: " + callable.text + " " + problem);
}

const std::vector<Value*>& tuple_items(const Value& args, const std::string& origin, const Value& callable) {
  if (args.kind != Kind::Tuple) fail(origin, callable, "called with a " + std::string(kind_name(args.kind)));
  return args.items;
}

void expect_arity(const std::vector<Value*>& items, std::size_t low, std::size_t high, const std::string& origin,
                  const Value& callable) {
  if (items.size() < low || items.size() > high) {
    fail(origin, callable, "called with " + std::to_string(items.size()) + " arguments");
  }
}

std::vector<std::int64_t> int_sequence(const Value& value, const std::string& what, const std::string& origin,
                                       const Value& callable) {
  if (value.kind != Kind::Tuple && value.kind != Kind::List) {
    fail(origin, callable, what + " is a " + std::string(kind_name(value.kind)) + ", not a tuple of ints");
  }
  std::vector<std::int64_t> numbers;
  numbers.reserve(value.items.size());
  for (const Value* item : value.items) {
    if (item->kind != Kind::Int) fail(origin, callable, what + " holds a " + std::string(kind_name(item->kind)));
    numbers.push_back(item->integer);
  }
  return numbers;
}

// UTF-8 to Latin-1, as _codecs.encode(text, 'latin1') does for protocol-2 bytes.
std::optional<std::string> utf8_to_latin1(const std::string& text) {
  std::string bytes;
  bytes.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      bytes.push_back(static_cast<char>(lead));
    } else if ((lead & 0xE0) == 0xC0 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[++i]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      const unsigned code = ((lead & 0x1Fu) << 6) | (next & 0x3Fu);
      if (code > 0xFF) return std::nullopt;
      bytes.push_back(static_cast<char>(code));
    } else {
      return std::nullopt;
    }
  }
  return bytes;
}

Value* make_collection(Kind kind, const std::vector<Value*>& items, ValueArena& arena) {
  Value* collection = arena.make(kind);
  collection->items = items;
  return collection;
}

Value* build_ordered_dict(const std::vector<Value*>& args, ValueArena& arena, const std::string& origin,
                          const Value& callable) {
  expect_arity(args, 0, 1, origin, callable);
  Value* dict = arena.make(Kind::Dict);
  if (args.empty()) return dict;
  const Value& source = *args[0];
  if (source.kind == Kind::Dict) {
    for (const auto& [key, value] : source.entries()) dict->set_item(key, value);
    return dict;
  }
  if (source.kind != Kind::List && source.kind != Kind::Tuple) {
    fail(origin, callable, "called with a " + std::string(kind_name(source.kind)));
  }
  for (const Value* pair : source.items) {
    if ((pair->kind != Kind::List && pair->kind != Kind::Tuple) || pair->items.size() != 2) {
      fail(origin, callable, "called with an item that is not a (key, value) pair");
    }
    dict->set_item(pair->items[0], pair->items[1]);
  }
  return dict;
}

Value* build_set(const std::vector<Value*>& args, ValueArena& arena, const std::string& origin,
                 const Value& callable) {
  expect_arity(args, 0, 1, origin, callable);
  if (args.empty()) return arena.make(Kind::Set);
  const Value& source = *args[0];
  if (source.kind != Kind::List && source.kind != Kind::Tuple && source.kind != Kind::Set) {
    fail(origin, callable, "called with a " + std::string(kind_name(source.kind)));
  }
  return make_collection(Kind::Set, source.items, arena);
}

Value* rebuild_tensor(const std::vector<Value*>& args, ValueArena& arena, const std::string& origin,
                      const Value& callable) {
  // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
  expect_arity(args, 6, 7, origin, callable);
  if (args[0]->kind != Kind::Storage) {
    fail(origin, callable, "given a " + std::string(kind_name(args[0]->kind)) + " instead of a storage");
  }
  if (args[1]->kind != Kind::Int) fail(origin, callable, "given a non-integer storage offset");
  Value* tensor = arena.make(Kind::Tensor);
  tensor->tensor = std::make_unique<TensorRef>();
  tensor->tensor->storage = args[0];
  tensor->tensor->storage_offset = args[1]->integer;
  tensor->tensor->size = int_sequence(*args[2], "size", origin, callable);
  tensor->tensor->stride = int_sequence(*args[3], "stride", origin, callable);
  if (tensor->tensor->size.size() != tensor->tensor->stride.size()) {
    fail(origin, callable, "given " + std::to_string(tensor->tensor->size.size()) + " sizes but " +
                               std::to_string(tensor->tensor->stride.size()) + " strides");
  }
  return tensor;
}

Value* rebuild_parameter(const std::vector<Value*>& args, std::size_t arity, const std::string& origin,
                         const Value& callable) {
  // (data, requires_grad, backward_hooks[, state]): a Parameter is its tensor.
  expect_arity(args, arity, arity, origin, callable);
  if (args[0]->kind != Kind::Tensor) {
    fail(origin, callable, "given a " + std::string(kind_name(args[0]->kind)) + " instead of a tensor");
  }
  return args[0];
}

}  // namespace

Value* load_global(const std::string& module, const std::string& name, ValueArena& arena,
                   const std::string& origin) {
  const std::string qualified = module + "." + name;
  for (const AllowedGlobal& allowed : kAllowList) {
    if (allowed.qualified_name != qualified) continue;
    Value* global = arena.make_string(Kind::Global, qualified);
    global->global = allowed.id;
    global->dtype = allowed.dtype;
    return global;
  }
  // torch.save(model) pickles the module's class, and with it every layer's
  // class: the fix is on the saving side.
  const bool looks_like_class = !name.empty() && std::isupper(static_cast<unsigned char>(name[0]));
  const std::string hint = looks_like_class ? "; the file holds a whole object, as torch.save(model) writes: "
                                              "save model.state_dict() instead"
                                            : "";
  throw Error(origin + ": refusing to load global '" + qualified.substr(0, 100) + "' (not on the allow-list)" + hint);
}

Value* call_global(const Value& callable, const Value& args, ValueArena& arena, const std::string& origin) {
  if (callable.kind != Kind::Global) {
    throw Error(origin + ": data.pkl: cannot call a " + std::string(kind_name(callable.kind)));
  }
  const std::vector<Value*>& items = tuple_items(args, origin, callable);
  switch (callable.global) {
    case GlobalId::OrderedDict: return build_ordered_dict(items, arena, origin, callable);
    case GlobalId::Set:
    case GlobalId::FrozenSet: return build_set(items, arena, origin, callable);
    case GlobalId::TorchSize: {
      expect_arity(items, 1, 1, origin, callable);
      int_sequence(*items[0], "size", origin, callable);
      return make_collection(Kind::Tuple, items[0]->items, arena);
    }
    case GlobalId::CodecsEncode: {
      expect_arity(items, 2, 2, origin, callable);
      if (items[0]->kind != Kind::String || items[1]->kind != Kind::String ||
          (items[1]->text != "latin1" && items[1]->text != "latin-1")) {
        fail(origin, callable, "supports only (str, 'latin1')");
      }
      const std::optional<std::string> bytes = utf8_to_latin1(items[0]->text);
      if (!bytes) fail(origin, callable, "given text that is not Latin-1");
      return arena.make_string(Kind::Bytes, *bytes);
    }
    case GlobalId::RebuildTensorV2: return rebuild_tensor(items, arena, origin, callable);
    case GlobalId::RebuildParameter: return rebuild_parameter(items, 3, origin, callable);
    case GlobalId::RebuildParameterWithState: return rebuild_parameter(items, 4, origin, callable);
    case GlobalId::StorageType:
    case GlobalId::TorchDType: break;
  }
  fail(origin, callable, "cannot be called");
}

Value* construct_global(const Value& cls, const Value& args, ValueArena& arena, const std::string& origin) {
  if (cls.kind != Kind::Global) {
    throw Error(origin + ": data.pkl: cannot instantiate a " + std::string(kind_name(cls.kind)));
  }
  switch (cls.global) {
    case GlobalId::OrderedDict:
    case GlobalId::Set:
    case GlobalId::FrozenSet:
    case GlobalId::TorchSize: return call_global(cls, args, arena, origin);
    default: fail(origin, cls, "is not a class that may be instantiated");
  }
}

Value* persistent_load(const Value& pid, ValueArena& arena, const std::string& origin) {
  const std::string where = origin + ": data.pkl: persistent id ";
  if (pid.kind != Kind::Tuple || pid.items.size() != 5) {
    throw Error(where + "is not a ('storage', type, key, location, numel) tuple");
  }
  const std::vector<Value*>& items = pid.items;
  if (items[0]->kind != Kind::String || items[0]->text != "storage") {
    throw Error(where + "does not name a storage");
  }
  if (items[1]->kind != Kind::Global || items[1]->global != GlobalId::StorageType) {
    throw Error(where + "has no storage type");
  }
  if (items[2]->kind != Kind::String || items[3]->kind != Kind::String) {
    throw Error(where + "key and location must be strings");
  }
  if (items[4]->kind != Kind::Int || items[4]->integer < 0) {
    throw Error(where + "'" + items[2]->text + "' has no valid element count");
  }
  Value* storage = arena.make(Kind::Storage);
  storage->storage = std::make_unique<StorageRef>(
      StorageRef{items[1]->dtype, items[2]->text, items[3]->text, items[4]->integer});
  return storage;
}

}  // namespace edgeport::pickle
