#include "pytorch/unpickler.h"

#include <gtest/gtest.h>

#include <cmath>

#include "checkpoint_builder.h"
#include "core/error.h"
#include "pytorch/state_dict_unwrap.h"
#include "pytorch/zip_archive.h"

namespace edgeport::pickle {
namespace {

using testing::operator+;
using testing::Bytes;
using testing::raw;

const Value& run(const Bytes& bytes, ValueArena& arena) { return *unpickle(bytes, arena, "test.pkl"); }

Bytes protocol2(const Bytes& body) { return Bytes{0x80, 2} + body + raw("."); }

TEST(Unpickler, ReadsIntegersOfEveryWidth) {
  ValueArena arena("test.pkl");
  const Value& list = run(protocol2(raw("](") + Bytes{'J', 0xFF, 0xFF, 0xFF, 0xFF} + Bytes{'K', 200} +
                                    Bytes{'M', 0x34, 0x12} + Bytes{0x8a, 1, 0xFF} + Bytes{0x8a, 0} +
                                    testing::int_op(-(std::int64_t{1} << 62)) + Bytes{0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1} +
                                    Bytes{0x8b, 2, 0, 0, 0, 0x00, 0x80} + raw("e")),
                          arena);
  ASSERT_EQ(list.kind, Kind::List);
  ASSERT_EQ(list.items.size(), 8u);
  EXPECT_EQ(list.items[0]->integer, -1);
  EXPECT_EQ(list.items[1]->integer, 200);
  EXPECT_EQ(list.items[2]->integer, 0x1234);
  EXPECT_EQ(list.items[3]->integer, -1);
  EXPECT_EQ(list.items[4]->integer, 0);
  EXPECT_EQ(list.items[5]->integer, -(std::int64_t{1} << 62));
  EXPECT_EQ(list.items[6]->kind, Kind::LargeInt);
  EXPECT_EQ(list.items[7]->integer, -32768);
}

TEST(Unpickler, ReadsFloatsStringsBytesAndConstants) {
  ValueArena arena("test.pkl");
  const Value& tuple = run(Bytes{0x80, 4, '(', 'G', 0x3F, 0xF8, 0, 0, 0, 0, 0, 0} + Bytes{0x8c, 2, 'h', 'i'} +
                               Bytes{0x8d, 1, 0, 0, 0, 0, 0, 0, 0, 'x'} + Bytes{'C', 2, 0, 0xFF} +
                               Bytes{'N', 0x88, 0x89} + raw("t."),
                           arena);
  ASSERT_EQ(tuple.kind, Kind::Tuple);
  ASSERT_EQ(tuple.items.size(), 7u);
  EXPECT_EQ(tuple.items[0]->number, 1.5);
  EXPECT_EQ(tuple.items[1]->text, "hi");
  EXPECT_EQ(tuple.items[2]->text, "x");
  EXPECT_EQ(tuple.items[3]->kind, Kind::Bytes);
  EXPECT_EQ(tuple.items[3]->text, std::string("\0\xFF", 2));
  EXPECT_EQ(tuple.items[4]->kind, Kind::None);
  EXPECT_TRUE(tuple.items[5]->boolean);
  EXPECT_FALSE(tuple.items[6]->boolean);
}

TEST(Unpickler, MemoSharesObjectsAndLaterMutationsShow) {
  ValueArena arena("test.pkl");
  // l = []; memo[0] = l; d = {'a': l, 'b': l}; l.append(1)
  const Value& dict = run(protocol2(raw("}(") + testing::unicode("a") + Bytes{']', 'q', 0} + testing::unicode("b") +
                                    Bytes{'h', 0, 'u', 'h', 0, 'K', 1, 'a', '0'}),
                          arena);
  ASSERT_EQ(dict.kind, Kind::Dict);
  const Value* a = dict.find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a, dict.find("b"));
  ASSERT_EQ(a->items.size(), 1u);
  EXPECT_EQ(a->items[0]->integer, 1);
}

TEST(Unpickler, LaterDictKeysReplaceEarlierOnes) {
  ValueArena arena("test.pkl");
  const Value& dict = run(protocol2(raw("}(") + testing::unicode("k") + Bytes{'K', 1} + testing::unicode("k") +
                                    Bytes{'K', 2} + Bytes{'K', 1} + Bytes{'K', 3} + Bytes{0x88} + Bytes{'K', 4} +
                                    raw("u")),
                          arena);
  ASSERT_EQ(dict.entries().size(), 2u);
  EXPECT_EQ(dict.find("k")->integer, 2);
  EXPECT_EQ(dict.entries()[1].second->integer, 4);  // True == 1 as a key
}

TEST(Unpickler, StructuralErrorsAreErrors) {
  const std::vector<Bytes> broken{
      Bytes{},                                           // empty
      Bytes{0x80, 2},                                    // no STOP
      Bytes{0x80, 6, 'N', '.'},                          // protocol from the future
      Bytes{0x80, 2, '.'},                               // STOP with nothing
      Bytes{0x80, 2, 't', '.'},                          // TUPLE without MARK
      Bytes{0x80, 2, 'a', '.'},                          // APPEND on nothing
      Bytes{0x80, 2, 'N', 'N', 'a', '.'},                // APPEND to None
      Bytes{0x80, 2, '}', '(', 'N', 'u', '.'},           // SETITEMS with odd items
      Bytes{0x80, 2, 'h', 7, '.'},                       // missing memo entry
      Bytes{0x80, 2, 'X', 0xFF, 0xFF, 0xFF, 0xFF, '.'},  // length past the end
      Bytes{0x80, 4, 0x8d, 0, 0, 0, 0, 0, 0, 0, 0x80, '.'},
      Bytes{0x80, 2, 0x8b, 0xFF, 0xFF, 0xFF, 0xFF, '.'},  // negative LONG4 length
      Bytes{0x80, 4, 0x95, 0xFF, 0, 0, 0, 0, 0, 0, 0, 'N', '.'},
      Bytes{0x80, 2, 0xFF, '.'},                         // unknown opcode
      Bytes{0x80, 2, 'I', '1', '\n', '.'},               // protocol 0 text opcode
      Bytes{0x80, 2, 'c', 'o', 's'},                     // unterminated GLOBAL
      Bytes{0x80, 5, 0x97, '.'},                         // out-of-band buffer
      Bytes{0x80, 2, 'N', ')', 'R', '.'},                // REDUCE on None
      Bytes{0x80, 2, 'N', 'Q', '.'},                     // persistent id that is not a storage tuple
      Bytes{0x80, 2, ']', 'N', 'b', '.'},                // BUILD on a list
  };
  for (const Bytes& bytes : broken) {
    ValueArena arena("test.pkl");
    EXPECT_THROW(unpickle(bytes, arena, "test.pkl"), Error) << ::testing::PrintToString(bytes);
  }
}

TEST(Unpickler, CyclesNeitherHangNorLeak) {
  ValueArena arena("test.pkl");
  const Value& list = run(protocol2(Bytes{']', 'q', 0, 'h', 0, 'a'}), arena);
  EXPECT_EQ(list.items.at(0), &list);
  EXPECT_THROW(find_state_dict(list, "cycle.pt"), Error);

  ValueArena dict_arena("test.pkl");
  const Value& dict = run(protocol2(Bytes{'}', 'q', 0} + testing::unicode("state_dict") + Bytes{'h', 0, 's'}), dict_arena);
  EXPECT_THROW(find_state_dict(dict, "cycle.pt"), Error);
}

Bytes fixture_pickle(const std::string& name) {
  const Bytes archive = testing::read_fixture(name + ".pt");
  return ZipArchive(archive, name).read(name + "/data.pkl");
}

TEST(UnpicklerFuzz, EveryTruncationOfARealPickleIsAnError) {
  const Bytes pickle = fixture_pickle("protocol_5");
  ValueArena whole("test.pkl");
  ASSERT_EQ(unpickle(pickle, whole, "test.pkl")->kind, Kind::Dict);
  for (std::size_t length = 0; length < pickle.size(); ++length) {
    ValueArena arena("test.pkl");
    EXPECT_THROW(unpickle(std::span(pickle).first(length), arena, "test.pkl"), Error) << length;
  }
}

// A mutated pickle may still parse; either way it must not crash, overrun a
// buffer or hang. The sanitizer build (EDGEPORT_SANITIZE) is what judges it.
TEST(UnpicklerFuzz, MutatedRealPicklesFailCleanly) {
  std::size_t refused = 0;
  std::size_t runs = 0;
  for (const std::string name : {"protocol_2", "protocol_5"}) {
    const Bytes pickle = fixture_pickle(name);
    for (std::size_t offset = 0; offset < pickle.size(); ++offset) {
      Bytes mutated = pickle;
      // Varying replacements reach lengths, opcodes and memo indices alike.
      mutated[offset] ^= static_cast<std::uint8_t>(1 + (offset * 131) % 255);
      ValueArena arena("test.pkl");
      ++runs;
      try {
        unpickle(mutated, arena, "test.pkl");
      } catch (const Error&) {
        ++refused;
      }
    }
  }
  EXPECT_GT(refused, 0u);
  EXPECT_LT(refused, runs);
}

}  // namespace
}  // namespace edgeport::pickle
