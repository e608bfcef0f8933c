#include "pytorch/unpickler.h"

#include <bit>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "pytorch/torch_globals.h"

namespace edgeport::pickle {

namespace {

constexpr int kHighestProtocol = 5;

class Machine {
 public:
  Machine(std::span<const std::uint8_t> bytes, ValueArena& arena, const std::string& origin)
      : bytes_(bytes), arena_(arena), origin_(origin) {}

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

  Value* make_tuple(std::vector<Value*> items) {
    Value* tuple = arena_.make(Kind::Tuple);
    tuple->items = std::move(items);
    return tuple;
  }
  Value* make_integer_from_twos_complement(std::span<const std::uint8_t> raw);
  void set_items(Value* dict, const std::vector<Value*>& items, const char* opcode);
  void build(Value* state, Value* instance);

  std::span<const std::uint8_t> bytes_;
  ValueArena& arena_;
  const std::string& origin_;
  std::size_t position_ = 0;
  std::size_t opcode_offset_ = 0;
  std::vector<Value*> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint64_t, Value*> memo_;
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
  for (std::size_t i = 0; i < items.size(); i += 2) dict->set_item(items[i], items[i + 1]);
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
    const std::uint8_t opcode = bytes_[position_++];
    switch (opcode) {
      case 0x80: {  // PROTO
        const auto version = unsigned_le(1);
        if (version > kHighestProtocol) fail("pickle protocol " + std::to_string(version) + " is newer than 5");
        break;
      }
      case 0x95: {  // FRAME: a length hint only; opcodes run across it unchanged
        const std::uint64_t frame = unsigned_le(8);
        if (frame > bytes_.size() - position_) fail("FRAME of " + std::to_string(frame) + " bytes past the end");
        break;
      }
      case '.': {  // STOP
        if (stack_.empty()) fail("STOP with an empty stack");
        return stack_.back();
      }
      case '(': marks_.push_back(stack_.size()); break;  // MARK
      case '0':  // POP
        if (stack_.size() > frame_base()) {
          stack_.pop_back();
        } else {
          pop_to_mark();
        }
        break;
      case '1': pop_to_mark(); break;  // POP_MARK
      case '2': push(top()); break;    // DUP
      case 'N': push(arena_.make(Kind::None)); break;
      case 0x88:    // NEWTRUE
      case 0x89: {  // NEWFALSE
        Value* flag = arena_.make(Kind::Bool);
        flag->boolean = opcode == 0x88;
        push(flag);
        break;
      }
      case 'J': push(arena_.make_int(static_cast<std::int32_t>(unsigned_le(4)))); break;  // BININT
      case 'K': push(arena_.make_int(static_cast<std::int64_t>(unsigned_le(1)))); break;  // BININT1
      case 'M': push(arena_.make_int(static_cast<std::int64_t>(unsigned_le(2)))); break;  // BININT2
      case 0x8a: push(make_integer_from_twos_complement(take(unsigned_le(1)))); break;     // LONG1
      case 0x8b: {                                                                         // LONG4
        const auto length = static_cast<std::int32_t>(unsigned_le(4));
        if (length < 0) fail("LONG4 with a negative length");
        push(make_integer_from_twos_complement(take(static_cast<std::uint64_t>(length))));
        break;
      }
      case 'G': {  // BINFLOAT: big-endian IEEE double
        const auto raw = take(8);
        std::uint64_t bits = 0;
        for (std::uint8_t byte : raw) bits = (bits << 8) | byte;
        Value* number = arena_.make(Kind::Float);
        number->number = std::bit_cast<double>(bits);
        push(number);
        break;
      }
      case 0x8c: push(arena_.make_string(Kind::String, text(unsigned_le(1)))); break;  // SHORT_BINUNICODE
      case 'X': push(arena_.make_string(Kind::String, text(unsigned_le(4)))); break;   // BINUNICODE
      case 0x8d: push(arena_.make_string(Kind::String, text(unsigned_le(8)))); break;  // BINUNICODE8
      case 'U': push(arena_.make_string(Kind::String, text(unsigned_le(1)))); break;   // SHORT_BINSTRING
      case 'T': {                                                                       // BINSTRING
        const auto length = static_cast<std::int32_t>(unsigned_le(4));
        if (length < 0) fail("BINSTRING with a negative length");
        push(arena_.make_string(Kind::String, text(static_cast<std::uint64_t>(length))));
        break;
      }
      case 'C': push(arena_.make_string(Kind::Bytes, text(unsigned_le(1)))); break;     // SHORT_BINBYTES
      case 'B': push(arena_.make_string(Kind::Bytes, text(unsigned_le(4)))); break;     // BINBYTES
      case 0x8e:                                                                        // BINBYTES8
      case 0x96: push(arena_.make_string(Kind::Bytes, text(unsigned_le(8)))); break;    // BYTEARRAY8
      case ')': push(make_tuple({})); break;                                            // EMPTY_TUPLE
      case 0x85: push(make_tuple({pop()})); break;                                      // TUPLE1
      case 0x86: {                                                                      // TUPLE2
        Value* second = pop();
        push(make_tuple({pop(), second}));
        break;
      }
      case 0x87: {  // TUPLE3
        Value* third = pop();
        Value* second = pop();
        push(make_tuple({pop(), second, third}));
        break;
      }
      case 't': push(make_tuple(pop_to_mark())); break;  // TUPLE
      case ']': push(arena_.make(Kind::List)); break;    // EMPTY_LIST
      case 'l': {                                        // LIST
        Value* list = arena_.make(Kind::List);
        list->items = pop_to_mark();
        push(list);
        break;
      }
      case 'a': {  // APPEND
        Value* item = pop();
        expect(top(), Kind::List, "APPEND")->items.push_back(item);
        break;
      }
      case 'e': {  // APPENDS
        std::vector<Value*> items = pop_to_mark();
        auto& list = expect(top(), Kind::List, "APPENDS")->items;
        list.insert(list.end(), items.begin(), items.end());
        break;
      }
      case '}': push(arena_.make(Kind::Dict)); break;  // EMPTY_DICT
      case 'd': {                                      // DICT
        std::vector<Value*> items = pop_to_mark();
        Value* dict = arena_.make(Kind::Dict);
        set_items(dict, items, "DICT");
        push(dict);
        break;
      }
      case 's': {  // SETITEM
        Value* value = pop();
        Value* key = pop();
        set_items(top(), {key, value}, "SETITEM");
        break;
      }
      case 'u': {  // SETITEMS
        std::vector<Value*> items = pop_to_mark();
        set_items(top(), items, "SETITEMS");
        break;
      }
      case 0x8f: push(arena_.make(Kind::Set)); break;  // EMPTY_SET
      case 0x90: {                                     // ADDITEMS
        std::vector<Value*> items = pop_to_mark();
        auto& set = expect(top(), Kind::Set, "ADDITEMS")->items;
        set.insert(set.end(), items.begin(), items.end());
        break;
      }
      case 0x91: {  // FROZENSET
        Value* set = arena_.make(Kind::Set);
        set->items = pop_to_mark();
        push(set);
        break;
      }
      case 'q': memo_put(unsigned_le(1)); break;     // BINPUT
      case 'r': memo_put(unsigned_le(4)); break;     // LONG_BINPUT
      case 0x94: memo_put(memo_.size()); break;      // MEMOIZE
      case 'h': memo_get(unsigned_le(1)); break;     // BINGET
      case 'j': memo_get(unsigned_le(4)); break;     // LONG_BINGET
      case 'c': {                                    // GLOBAL
        std::string module = line();
        std::string name = line();
        push(load_global(module, name, arena_, origin_));
        break;
      }
      case 0x93: {  // STACK_GLOBAL
        Value* name = expect(pop(), Kind::String, "STACK_GLOBAL");
        Value* module = expect(pop(), Kind::String, "STACK_GLOBAL");
        push(load_global(module->text, name->text, arena_, origin_));
        break;
      }
      case 'R': {  // REDUCE
        Value* args = pop();
        Value* callable = pop();
        push(call_global(*callable, *args, arena_, origin_));
        break;
      }
      case 0x81: {  // NEWOBJ
        Value* args = pop();
        Value* cls = pop();
        push(construct_global(*cls, *args, arena_, origin_));
        break;
      }
      case 0x92: {  // NEWOBJ_EX
        Value* kwargs = expect(pop(), Kind::Dict, "NEWOBJ_EX");
        Value* args = pop();
        Value* cls = pop();
        if (!kwargs->entries().empty()) fail("NEWOBJ_EX with keyword arguments");
        push(construct_global(*cls, *args, arena_, origin_));
        break;
      }
      case 'b': {  // BUILD
        Value* state = pop();
        build(state, top());
        break;
      }
      case 'Q': push(persistent_load(*pop(), arena_, origin_)); break;  // BINPERSID
      case 'i': {                                                        // INST
        std::string module = line();
        std::string name = line();
        throw Error(origin_ + ": refusing pickle opcode INST for '" + module + "." + name +
                    "' (it imports and calls a global)");
      }
      case 'o':  // OBJ
        throw Error(origin_ + ": refusing pickle opcode OBJ at data.pkl offset " + std::to_string(opcode_offset_) +
                    " (it calls a class from the stack)");
      case 0x82:
      case 0x83:
      case 0x84:  // EXT1, EXT2, EXT4
        throw Error(origin_ + ": refusing pickle extension-registry opcode at data.pkl offset " +
                    std::to_string(opcode_offset_) + " (it imports a global)");
      case 0x97:
      case 0x98: fail("out-of-band pickle buffers are not supported");
      case 'I':
      case 'L':
      case 'F':
      case 'S':
      case 'V':
      case 'p':
      case 'g':
      case 'P': fail("text pickle opcode '" + std::string(1, static_cast<char>(opcode)) + "' (protocol 0/1) is not supported");
      default: {
        static const char* hex = "0123456789abcdef";
        fail(std::string("unknown pickle opcode 0x") + hex[opcode >> 4] + hex[opcode & 15]);
      }
    }
  }
  opcode_offset_ = position_;
  fail("pickle ends without STOP");
}

}  // namespace

Value* unpickle(std::span<const std::uint8_t> bytes, ValueArena& arena, const std::string& origin) {
  return Machine(bytes, arena, origin).run();
}

}  // namespace edgeport::pickle
