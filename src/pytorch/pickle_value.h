#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/dtype.h"

namespace edgeport::pickle {

// Python objects as a checkpoint's pickle can build them. Only data lives
// here: globals are allow-listed tags, storages and tensors are references
// into the archive, resolved later.
enum class Kind {
  None,
  Bool,
  Int,
  LargeInt,  // a Python int outside int64; kept opaque, never needed for tensors
  Float,
  String,
  Bytes,
  Tuple,
  List,
  Dict,
  Set,
  Global,
  Storage,
  Tensor,
};

std::string_view kind_name(Kind kind);

// The callables and constants a state_dict pickle may name.
enum class GlobalId {
  OrderedDict,
  Set,
  FrozenSet,
  CodecsEncode,
  TorchSize,
  RebuildTensorV2,
  RebuildParameter,
  RebuildParameterWithState,
  StorageType,  // torch.FloatStorage and friends; dtype says which
  TorchDType,   // torch.float32 and friends; dtype says which
};

struct Value;

struct StorageRef {
  DType dtype = DType::Float32;
  std::string key;  // record name under <root>/data/
  std::string location;
  std::int64_t numel = 0;
};

struct TensorRef {
  const Value* storage = nullptr;  // Kind::Storage
  std::int64_t storage_offset = 0;
  std::vector<std::int64_t> size;
  std::vector<std::int64_t> stride;
};

struct Value {
  explicit Value(Kind value_kind) : kind(value_kind) {}

  Kind kind;
  bool boolean = false;
  std::int64_t integer = 0;
  double number = 0.0;
  std::string text;            // String (UTF-8), Bytes; Global: its qualified name
  std::vector<Value*> items;   // Tuple, List, Set
  GlobalId global = GlobalId::OrderedDict;
  DType dtype = DType::Float32;  // Global StorageType / TorchDType
  // Rare and large, so kept out of line: a pickle can build millions of values.
  std::unique_ptr<StorageRef> storage;
  std::unique_ptr<TensorRef> tensor;

  // Dict entries in insertion order. Keys of scalar kinds are unique by
  // value, like Python's; other keys by identity.
  const std::vector<std::pair<Value*, Value*>>& entries() const;
  void set_item(Value* key, Value* value);
  // The value under a string key, or nullptr.
  const Value* find(const std::string& key) const;

 private:
  struct DictData {
    std::vector<std::pair<Value*, Value*>> entries;
    std::unordered_map<std::string, std::size_t> index;
  };
  std::unique_ptr<DictData> dict_;
};

// Owns every value one unpickling creates; values point at each other with
// plain pointers, so shared and cyclic references cost nothing to free.
class ValueArena {
 public:
  // Far above what any state_dict pickle builds (a few per tensor), far below
  // what would exhaust memory.
  static constexpr std::size_t kMaxValues = std::size_t{8} << 20;

  // Throws Error (prefixed with `origin`) past kMaxValues.
  explicit ValueArena(std::string origin) : origin_(std::move(origin)) {}

  Value* make(Kind kind);
  Value* make_int(std::int64_t integer);
  Value* make_string(Kind kind, std::string text);

 private:
  std::string origin_;
  std::deque<Value> values_;
};

}  // namespace edgeport::pickle
