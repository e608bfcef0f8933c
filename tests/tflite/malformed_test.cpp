// Hostile and broken .tflite files: every one gives an edgeport::Error naming
// the file, never a crash or another exception.
#include <gtest/gtest.h>

#include <random>

#include "core/error.h"
#include "core/file_io.h"
#include "support.h"
#include "tflite/info.h"
#include "tflite/reader.h"
#include "tflite/schema_generated.h"
#include "tflite/writer.h"
#include "writer_graphs.h"

namespace edgeport {
namespace {

// A one-op model (FULLY_CONNECTED, input [1,4] -> output [1,2]) whose fields
// a test can spoil before it is serialized.
struct Recipe {
  std::uint32_t schema_version = 3;
  tflite::BuiltinOperator code = tflite::BuiltinOperator::FULLY_CONNECTED;
  std::uint32_t opcode_index = 0;
  std::vector<std::int32_t> op_inputs{0, 1, 2};
  std::vector<std::int32_t> op_outputs{3};
  std::uint32_t weight_buffer = 1;
  std::size_t weight_bytes = 2 * 4 * 4;
  std::vector<std::int32_t> input_shape{1, 4};
  std::vector<std::int32_t> weight_shape{2, 4};
  std::vector<std::int32_t> output_shape{1, 2};
  std::vector<std::int32_t> subgraph_inputs{0};
};

std::vector<std::uint8_t> build(const Recipe& recipe) {
  flatbuffers::FlatBufferBuilder fbb;
  const std::vector<std::uint8_t> weight(recipe.weight_bytes, 0x3c);
  const std::vector<std::uint8_t> bias(2 * 4, 0);
  const std::vector<flatbuffers::Offset<tflite::Buffer>> buffers{
      tflite::CreateBuffer(fbb), tflite::CreateBuffer(fbb, fbb.CreateVector(weight)),
      tflite::CreateBuffer(fbb, fbb.CreateVector(bias))};
  auto tensor = [&](const std::vector<std::int32_t>& shape, std::uint32_t buffer, const char* name) {
    return tflite::CreateTensor(fbb, fbb.CreateVector(shape), tflite::TensorType::FLOAT32, buffer, fbb.CreateString(name));
  };
  const std::vector<flatbuffers::Offset<tflite::Tensor>> tensors{
      tensor(recipe.input_shape, 0, "input"), tensor(recipe.weight_shape, recipe.weight_buffer, "weight"),
      tensor({2}, 2, "bias"), tensor(recipe.output_shape, 0, "output")};
  const auto op = tflite::CreateOperator(fbb, recipe.opcode_index, fbb.CreateVector(recipe.op_inputs),
                                         fbb.CreateVector(recipe.op_outputs));
  const auto subgraph = tflite::CreateSubGraph(fbb, fbb.CreateVector(tensors), fbb.CreateVector(recipe.subgraph_inputs),
                                               fbb.CreateVector(std::vector<std::int32_t>{3}),
                                               fbb.CreateVector(&op, 1));
  const auto code = tflite::CreateOperatorCode(fbb, static_cast<std::int8_t>(recipe.code), 0, 1, recipe.code);
  const auto model = tflite::CreateModel(fbb, recipe.schema_version, fbb.CreateVector(&code, 1),
                                         fbb.CreateVector(&subgraph, 1), 0, fbb.CreateVector(buffers));
  tflite::FinishModelBuffer(fbb, model);
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

// The error message, or "" when the bytes read fine.
std::string read_error(const std::vector<std::uint8_t>& bytes) {
  try {
    parse_tflite(bytes, "broken.tflite");
    tflite_info(bytes, "broken.tflite");
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

void expect_refused(const Recipe& recipe, const std::string& fragment) {
  const std::string message = read_error(build(recipe));
  EXPECT_EQ(message.rfind("broken.tflite: ", 0), 0u) << message;
  EXPECT_NE(message.find(fragment), std::string::npos) << message;
}

TEST(TfliteMalformed, TheRecipeItselfReads) { EXPECT_EQ(read_error(build(Recipe{})), ""); }

TEST(TfliteMalformed, BrokenFieldsAreNamed) {
  Recipe recipe;
  recipe.op_inputs = {0, 7, 2};
  expect_refused(recipe, "refers to tensor 7");
  recipe = {};
  recipe.weight_buffer = 9;
  expect_refused(recipe, "buffer 9");
  recipe = {};
  recipe.weight_bytes = 20;
  expect_refused(recipe, "needs 32 bytes, its buffer has 20");
  recipe = {};
  recipe.code = static_cast<tflite::BuiltinOperator>(25);
  expect_refused(recipe, "BUILTIN_25");
  recipe = {};
  recipe.schema_version = 2;
  expect_refused(recipe, "schema version 2");
  recipe = {};
  recipe.input_shape = {1, -1};
  expect_refused(recipe, "unknown extent");
  recipe = {};
  recipe.opcode_index = 4;
  expect_refused(recipe, "operator code 4");
  recipe = {};
  recipe.weight_shape = {2, 2, 2};
  recipe.weight_bytes = 32;
  expect_refused(recipe, "rank 3");
  recipe = {};
  recipe.output_shape = {1, 3};
  expect_refused(recipe, "computes [1,2]");
  recipe = {};
  recipe.subgraph_inputs = {};
  expect_refused(recipe, "before any operator produces it");
}

TEST(TfliteMalformed, NotTfliteAtAll) {
  EXPECT_NE(read_error({}).find("no TFL3 identifier"), std::string::npos);
  EXPECT_NE(read_error({'h', 'e', 'l', 'l', 'o', 0, 0, 0, 0, 0}).find("no TFL3 identifier"), std::string::npos);
  const std::filesystem::path missing = tflite_test::scratch_directory("missing") / "absent.tflite";
  EXPECT_THROW(read_tflite(missing), Error);
}

// Truncations and random byte changes of a real file: each either still
// reads (the change hit padding or a value) or is refused with an Error.
void expect_never_crashes(const std::vector<std::uint8_t>& good, unsigned seed) {
  ASSERT_EQ(read_error(good), "");
  for (std::size_t length = 0; length < good.size(); length += 97) {
    const std::vector<std::uint8_t> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(length));
    EXPECT_NE(read_error(cut), "") << "truncated at " << length;
  }
  std::mt19937 generator(seed);
  std::uniform_int_distribution<std::size_t> position(0, good.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  int refused = 0;
  for (int trial = 0; trial < 600; ++trial) {
    std::vector<std::uint8_t> bad = good;
    for (int change = 0; change < 1 + trial % 4; ++change) bad[position(generator)] = static_cast<std::uint8_t>(byte(generator));
    try {
      parse_tflite(bad, "fuzz.tflite");
      tflite_info(bad, "fuzz.tflite");
    } catch (const Error& error) {
      ++refused;
      EXPECT_EQ(std::string(error.what()).rfind("fuzz.tflite: ", 0), 0u) << error.what();
    } catch (const std::exception& error) {
      ADD_FAILURE() << "trial " << trial << ": " << error.what();
    }
  }
  EXPECT_GT(refused, 0);
}

TEST(TfliteMalformed, TruncatedAndCorruptedFilesNeverCrash) {
  TfliteExportOptions options;
  expect_never_crashes(encode_tflite(tflite_test::writer_zoo_graph(), options), 7);
  expect_never_crashes(encode_tflite(tflite_test::writer_layout_graph(), options), 8);
}

TEST(TfliteMalformed, ImplausibleShapesAreRefusedBeforeAnyArithmetic) {
  Recipe recipe;
  recipe.input_shape = {65536, 65536, 65536, 65536};
  expect_refused(recipe, "implausibly large");
}

}  // namespace
}  // namespace edgeport
