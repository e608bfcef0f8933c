#include "pytorch/pickle_value.h"

#include <bit>
#include <cmath>

#include "core/error.h"

namespace edgeport::pickle {

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::None: return "None";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::LargeInt: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::Bytes: return "bytes";
    case Kind::Tuple: return "tuple";
    case Kind::List: return "list";
    case Kind::Dict: return "dict";
    case Kind::Set: return "set";
    case Kind::Global: return "global";
    case Kind::Storage: return "storage";
    case Kind::Tensor: return "tensor";
  }
  return "value";
}

namespace {

// Python treats True, 1 and 1.0 as the same dict key; so do we.
std::string key_identity(const Value& key) {
  const auto tagged = [](char tag, const std::string& body) {
    std::string identity(1, tag);
    identity += body;
    return identity;
  };
  switch (key.kind) {
    case Kind::None: return "n";
    case Kind::Bool: return tagged('i', key.boolean ? "1" : "0");
    case Kind::Int: return tagged('i', std::to_string(key.integer));
    case Kind::Float:
      if (std::trunc(key.number) == key.number && std::abs(key.number) < 9.0e18) {
        return tagged('i', std::to_string(static_cast<std::int64_t>(key.number)));
      }
      return tagged('f', std::to_string(std::bit_cast<std::uint64_t>(key.number)));
    case Kind::String: return tagged('s', key.text);
    case Kind::Bytes: return tagged('b', key.text);
    default: return tagged('p', std::to_string(reinterpret_cast<std::uintptr_t>(&key)));
  }
}

}  // namespace

const std::vector<std::pair<Value*, Value*>>& Value::entries() const {
  static const std::vector<std::pair<Value*, Value*>> none;
  return dict_ ? dict_->entries : none;
}

void Value::set_item(Value* key, Value* value) {
  if (!dict_) dict_ = std::make_unique<DictData>();
  const auto [slot, inserted] = dict_->index.emplace(key_identity(*key), dict_->entries.size());
  if (inserted) {
    dict_->entries.emplace_back(key, value);
  } else {
    dict_->entries[slot->second].second = value;
  }
}

const Value* Value::find(const std::string& key) const {
  if (!dict_) return nullptr;
  std::string identity(1, 's');
  identity += key;
  const auto found = dict_->index.find(identity);
  return found == dict_->index.end() ? nullptr : dict_->entries[found->second].second;
}

Value* ValueArena::make(Kind kind) {
  if (values_.size() >= kMaxValues) {
    throw Error(origin_ + ": pickle builds more than " + std::to_string(kMaxValues) +
                " objects; not a state_dict");
  }
  return &values_.emplace_back(kind);
}

Value* ValueArena::make_int(std::int64_t integer) {
  Value* value = make(Kind::Int);
  value->integer = integer;
  return value;
}

Value* ValueArena::make_string(Kind kind, std::string text) {
  Value* value = make(kind);
  value->text = std::move(text);
  return value;
}

}  // namespace edgeport::pickle
