#include "pytorch/unpickler.h"

#include <bit>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "pytorch/pickle_opcodes.h"
#include "pytorch/torch_globals.h"

namespace edgeport::pickle {

namespace {

constexpr int kHighestProtocol = 5;
// Every dict insertion hashes its key. A memoized long key set over and over
// would cost its length each time, so the bytes hashed are bounded by the
// pickle's own size: objects, memo and stack already are, one per opcode.
constexpr std::uint64_t kKeyBytesPerPickleByte = 16;
constexpr std::uint64_t kKeyBytesSlack = std::uint64_t{1} << 20;

class Machine {
 public:
  Machine(std::span<const std::uint8_t> bytes, ValueArena& arena, const std::string& origin)
      : bytes_(bytes), arena_(arena), origin_(origin), key_bytes_left_(kKeyBytesPerPickleByte * bytes.size() + kKeyBytesSlack) {}

  Value* run();

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(origin_ + ": data.pkl offset " + std::to_string(opcode_offset_) + ": " + problem);
  }

  std::span<const std::uint8_t> take(std::uint64_t count) {
    if (count > bytes_.size() - position_) fail("truncated pickle (needs " + std::to_string(count) + " more bytes)");
    const auto start = position_;
    position_ += static_cast<std::size_t>(count);
    return bytes_.subspan(start, static_cast<std::size_t>(count));
  }
  std::uint64_t unsigned_le(std::size_t width) {
    const auto raw = take(width);
    std::uint64_t number = 0;
    for (std::size_t i = 0; i < width; ++i) number |= std::uint64_t{raw[i]} << (8 * i);
    return number;
  }
  std::string text(std::uint64_t length) {
    const auto raw = take(length);
    return {reinterpret_cast<const char*>(raw.data()), raw.size()};
  }
  // GLOBAL and INST carry "module\nname\n".
  std::string line() {
    const auto rest = bytes_.subspan(position_);
    const auto* end = static_cast<const std::uint8_t*>(std::memchr(rest.data(), '\n', rest.size()));
    if (end == nullptr) fail("truncated pickle (unterminated line)");
    std::string result = text(static_cast<std::uint64_t>(end - rest.data()));
    position_ += 1;
    return result;
  }

  void push(Value* value) { stack_.push_back(value); }
  Value* pop() {
    if (stack_.size() <= frame_base()) fail("pickle stack underflow");
    Value* value = stack_.back();
    stack_.pop_back();
    return value;
  }
  Value* top() {
    if (stack_.size() <= frame_base()) fail("pickle stack underflow");
    return stack_.back();
  }
  std::size_t frame_base() const { return marks_.empty() ? 0 : marks_.back(); }
  std::vector<Value*> pop_to_mark() {
    if (marks_.empty()) fail("pickle MARK missing");
    const std::size_t base = marks_.back();
    marks_.pop_back();
    std::vector<Value*> items(stack_.begin() + static_cast<std::ptrdiff_t>(base), stack_.end());
    stack_.resize(base);
    return items;
  }
  Value* expect(Value* value, Kind kind, const char* opcode) {
    if (value->kind != kind) {
      fail(std::string(opcode) + " applied to a " + std::string(kind_name(value->kind)) + ", expected a " +
           std::string(kind_name(kind)));
    }
    return value;
  }

  void memo_put(std::uint64_t index) { memo_[index] = top(); }
  void memo_get(std::uint64_t index) {
    const auto found = memo_.find(index);
    if (found == memo_.end()) fail("memo entry " + std::to_string(index) + " does not exist");
    push(found->second);
  }

  Value* make_sequence(Kind kind, std::vector<Value*> items) {
    Value* sequence = arena_.make(kind);
    sequence->items = std::move(items);
    return sequence;
  }
  void append_items(const std::vector<Value*>& items, Kind kind, const char* opcode) {
    auto& sequence = expect(top(), kind, opcode)->items;
    sequence.insert(sequence.end(), items.begin(), items.end());
  }
  Value* make_integer_from_twos_complement(std::span<const std::uint8_t> raw);
  // LONG4 and BINSTRING: a 4-byte length that must not be negative.
  std::uint64_t signed_length(const char* opcode);
  void set_items(Value* dict, const std::vector<Value*>& items, const char* opcode);
  void build(Value* state, Value* instance);

  // Each runs the opcodes of one family and returns false for any other.
  bool run_framing(Opcode opcode);
  bool run_stack(Opcode opcode);
  bool run_scalar(Opcode opcode);
  bool run_container(Opcode opcode);
  bool run_object(Opcode opcode);
  // Opcodes that import or call code, and those this reader does not speak.
  [[noreturn]] void refuse(Opcode opcode);

  std::span<const std::uint8_t> bytes_;
  ValueArena& arena_;
  const std::string& origin_;
  std::size_t position_ = 0;
  std::size_t opcode_offset_ = 0;
  std::vector<Value*> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint64_t, Value*> memo_;
  std::uint64_t key_bytes_left_;
};

Value* Machine::make_integer_from_twos_complement(std::span<const std::uint8_t> raw) {
  if (raw.size() > 8) return arena_.make(Kind::LargeInt);
  std::uint64_t number = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) number |= std::uint64_t{raw[i]} << (8 * i);
  if (!raw.empty() && raw.size() < 8 && (raw.back() & 0x80)) number |= ~std::uint64_t{0} << (8 * raw.size());
  return arena_.make_int(static_cast<std::int64_t>(number));
}

void Machine::set_items(Value* dict, const std::vector<Value*>& items, const char* opcode) {
  expect(dict, Kind::Dict, opcode);
  if (items.size() % 2 != 0) fail(std::string(opcode) + " with an odd number of items");
  for (std::size_t i = 0; i < items.size(); i += 2) {
    const std::uint64_t key_bytes = items[i]->text.size() + 1;
    if (key_bytes > key_bytes_left_) fail(std::string(opcode) + " keys hash more bytes than a pickle this size can justify");
    key_bytes_left_ -= key_bytes;
    dict->set_item(items[i], items[i + 1]);
  }
}

// BUILD sets an object's state. The only objects torch.save builds here are
// OrderedDicts carrying a `_metadata` attribute, which a state_dict does not
// need; state for anything else would mean a class we do not know.
void Machine::build(Value* state, Value* instance) {
  if (instance->kind != Kind::Dict) fail("BUILD on a " + std::string(kind_name(instance->kind)) + " is not supported");
  const bool plain_state = state->kind == Kind::Dict || state->kind == Kind::None;
  const bool slot_state = state->kind == Kind::Tuple && state->items.size() == 2;
  if (!plain_state && !slot_state) fail("BUILD with a " + std::string(kind_name(state->kind)) + " state");
}

Value* Machine::run() {
  while (position_ < bytes_.size()) {
    opcode_offset_ = position_;
    const auto opcode = static_cast<Opcode>(bytes_[position_++]);
    if (opcode == Opcode::STOP) {
      if (stack_.empty()) fail("STOP with an empty stack");
      return stack_.back();
    }
    if (!run_framing(opcode) && !run_stack(opcode) && !run_scalar(opcode) && !run_container(opcode) &&
        !run_object(opcode)) {
      refuse(opcode);
    }
  }
  opcode_offset_ = position_;
  fail("pickle ends without STOP");
}

bool Machine::run_framing(Opcode opcode) {
  switch (opcode) {
    case Opcode::PROTO: {
      const auto version = unsigned_le(1);
      if (version > kHighestProtocol) fail("pickle protocol " + std::to_string(version) + " is newer than 5");
      return true;
    }
    case Opcode::FRAME: {  // a length hint only; opcodes run across it unchanged
      const std::uint64_t frame = unsigned_le(8);
      if (frame > bytes_.size() - position_) fail("FRAME of " + std::to_string(frame) + " bytes past the end");
      return true;
    }
    default: return false;
  }
}

bool Machine::run_stack(Opcode opcode) {
  switch (opcode) {
    case Opcode::MARK: marks_.push_back(stack_.size()); return true;
    case Opcode::POP:
      if (stack_.size() > frame_base()) {
        stack_.pop_back();
      } else {
        pop_to_mark();
      }
      return true;
    case Opcode::POP_MARK: pop_to_mark(); return true;
    case Opcode::DUP: push(top()); return true;
    case Opcode::BINPUT: memo_put(unsigned_le(1)); return true;
    case Opcode::LONG_BINPUT: memo_put(unsigned_le(4)); return true;
    case Opcode::MEMOIZE: memo_put(memo_.size()); return true;
    case Opcode::BINGET: memo_get(unsigned_le(1)); return true;
    case Opcode::LONG_BINGET: memo_get(unsigned_le(4)); return true;
    default: return false;
  }
}

std::uint64_t Machine::signed_length(const char* opcode) {
  const auto length = static_cast<std::int32_t>(unsigned_le(4));
  if (length < 0) fail(std::string(opcode) + " with a negative length");
  return static_cast<std::uint64_t>(length);
}

bool Machine::run_scalar(Opcode opcode) {
  switch (opcode) {
    case Opcode::NONE: push(arena_.make(Kind::None)); return true;
    case Opcode::NEWTRUE:
    case Opcode::NEWFALSE: {
      Value* flag = arena_.make(Kind::Bool);
      flag->boolean = opcode == Opcode::NEWTRUE;
      push(flag);
      return true;
    }
    case Opcode::BININT: push(arena_.make_int(static_cast<std::int32_t>(unsigned_le(4)))); return true;
    case Opcode::BININT1: push(arena_.make_int(static_cast<std::int64_t>(unsigned_le(1)))); return true;
    case Opcode::BININT2: push(arena_.make_int(static_cast<std::int64_t>(unsigned_le(2)))); return true;
    case Opcode::LONG1: push(make_integer_from_twos_complement(take(unsigned_le(1)))); return true;
    case Opcode::LONG4: push(make_integer_from_twos_complement(take(signed_length("LONG4")))); return true;
    case Opcode::BINFLOAT: {  // big-endian IEEE double
      const auto raw = take(8);
      std::uint64_t bits = 0;
      for (std::uint8_t byte : raw) bits = (bits << 8) | byte;
      Value* number = arena_.make(Kind::Float);
      number->number = std::bit_cast<double>(bits);
      push(number);
      return true;
    }
    case Opcode::SHORT_BINUNICODE: push(arena_.make_string(Kind::String, text(unsigned_le(1)))); return true;
    case Opcode::BINUNICODE: push(arena_.make_string(Kind::String, text(unsigned_le(4)))); return true;
    case Opcode::BINUNICODE8: push(arena_.make_string(Kind::String, text(unsigned_le(8)))); return true;
    case Opcode::SHORT_BINSTRING: push(arena_.make_string(Kind::String, text(unsigned_le(1)))); return true;
    case Opcode::BINSTRING: push(arena_.make_string(Kind::String, text(signed_length("BINSTRING")))); return true;
    case Opcode::SHORT_BINBYTES: push(arena_.make_string(Kind::Bytes, text(unsigned_le(1)))); return true;
    case Opcode::BINBYTES: push(arena_.make_string(Kind::Bytes, text(unsigned_le(4)))); return true;
    case Opcode::BINBYTES8:
    case Opcode::BYTEARRAY8: push(arena_.make_string(Kind::Bytes, text(unsigned_le(8)))); return true;
    default: return false;
  }
}

bool Machine::run_container(Opcode opcode) {
  switch (opcode) {
    case Opcode::EMPTY_TUPLE: push(make_sequence(Kind::Tuple, {})); return true;
    case Opcode::TUPLE1: push(make_sequence(Kind::Tuple, {pop()})); return true;
    case Opcode::TUPLE2: {
      Value* second = pop();
      push(make_sequence(Kind::Tuple, {pop(), second}));
      return true;
    }
    case Opcode::TUPLE3: {
      Value* third = pop();
      Value* second = pop();
      push(make_sequence(Kind::Tuple, {pop(), second, third}));
      return true;
    }
    case Opcode::TUPLE: push(make_sequence(Kind::Tuple, pop_to_mark())); return true;
    case Opcode::EMPTY_LIST: push(arena_.make(Kind::List)); return true;
    case Opcode::LIST: push(make_sequence(Kind::List, pop_to_mark())); return true;
    case Opcode::APPEND: {
      Value* item = pop();
      expect(top(), Kind::List, "APPEND")->items.push_back(item);
      return true;
    }
    case Opcode::APPENDS: append_items(pop_to_mark(), Kind::List, "APPENDS"); return true;
    case Opcode::EMPTY_DICT: push(arena_.make(Kind::Dict)); return true;
    case Opcode::DICT: {
      std::vector<Value*> items = pop_to_mark();
      Value* dict = arena_.make(Kind::Dict);
      set_items(dict, items, "DICT");
      push(dict);
      return true;
    }
    case Opcode::SETITEM: {
      Value* value = pop();
      Value* key = pop();
      set_items(top(), {key, value}, "SETITEM");
      return true;
    }
    case Opcode::SETITEMS: {
      const std::vector<Value*> items = pop_to_mark();
      set_items(top(), items, "SETITEMS");
      return true;
    }
    case Opcode::EMPTY_SET: push(arena_.make(Kind::Set)); return true;
    case Opcode::ADDITEMS: append_items(pop_to_mark(), Kind::Set, "ADDITEMS"); return true;
    case Opcode::FROZENSET: push(make_sequence(Kind::Set, pop_to_mark())); return true;
    default: return false;
  }
}

bool Machine::run_object(Opcode opcode) {
  switch (opcode) {
    case Opcode::GLOBAL: {
      std::string module = line();
      std::string name = line();
      push(load_global(module, name, arena_, origin_));
      return true;
    }
    case Opcode::STACK_GLOBAL: {
      Value* name = expect(pop(), Kind::String, "STACK_GLOBAL");
      Value* module = expect(pop(), Kind::String, "STACK_GLOBAL");
      push(load_global(module->text, name->text, arena_, origin_));
      return true;
    }
    case Opcode::REDUCE: {
      Value* args = pop();
      Value* callable = pop();
      push(call_global(*callable, *args, arena_, origin_));
      return true;
    }
    case Opcode::NEWOBJ: {
      Value* args = pop();
      Value* cls = pop();
      push(construct_global(*cls, *args, arena_, origin_));
      return true;
    }
    case Opcode::NEWOBJ_EX: {
      Value* kwargs = expect(pop(), Kind::Dict, "NEWOBJ_EX");
      Value* args = pop();
      Value* cls = pop();
      if (!kwargs->entries().empty()) fail("NEWOBJ_EX with keyword arguments");
      push(construct_global(*cls, *args, arena_, origin_));
      return true;
    }
    case Opcode::BUILD: {
      Value* state = pop();
      build(state, top());
      return true;
    }
    case Opcode::BINPERSID: push(persistent_load(*pop(), arena_, origin_)); return true;
    default: return false;
  }
}

void Machine::refuse(Opcode opcode) {
  switch (opcode) {
    case Opcode::INST: {
      std::string module = line();
      std::string name = line();
      throw Error(origin_ + ": refusing pickle opcode INST for '" + module + "." + name +
                  "' (it imports and calls a global)");
    }
    case Opcode::OBJ:
      throw Error(origin_ + ": refusing pickle opcode OBJ at data.pkl offset " + std::to_string(opcode_offset_) +
                  " (it calls a class from the stack)");
    case Opcode::EXT1:
    case Opcode::EXT2:
    case Opcode::EXT4:
      throw Error(origin_ + ": refusing pickle extension-registry opcode at data.pkl offset " +
                  std::to_string(opcode_offset_) + " (it imports a global)");
    case Opcode::NEXT_BUFFER:
    case Opcode::READONLY_BUFFER: fail("out-of-band pickle buffers are not supported");
    case Opcode::INT:
    case Opcode::LONG:
    case Opcode::FLOAT:
    case Opcode::STRING:
    case Opcode::UNICODE:
    case Opcode::PUT:
    case Opcode::GET:
    case Opcode::PERSID:
      fail("text pickle opcode '" + std::string(1, static_cast<char>(opcode)) + "' (protocol 0/1) is not supported");
    default: {
      static const char* hex = "0123456789abcdef";
      const auto byte = static_cast<std::uint8_t>(opcode);
      fail(std::string("unknown pickle opcode 0x") + hex[byte >> 4] + hex[byte & 15]);
    }
  }
}

}  // namespace

Value* unpickle(std::span<const std::uint8_t> bytes, ValueArena& arena, const std::string& origin) {
  return Machine(bytes, arena, origin).run();
}

}  // namespace edgeport::pickle
