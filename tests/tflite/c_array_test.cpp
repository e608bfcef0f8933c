// The C array's comments carry the interface a firmware author needs: names,
// shapes, types, scales and zero points, the arena and the readiness.
#include <gtest/gtest.h>

#include "core/error.h"
#include "integer_model.h"
#include "tflite/c_array.h"

namespace edgeport {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(TfliteCArray, CommentsCarryTheInterfaceAndItsQuantization) {
  const CArrayFiles files = c_array_files(tflite_test::tiny_integer_model(), "tiny.tflite", "tiny");
  EXPECT_EQ(files.header_name, "tiny_model.h");
  EXPECT_EQ(files.source_name, "tiny_model.cc");
  EXPECT_TRUE(contains(files.header, "//   input 0: 'x' INT8 [1, 4, 4, 2], scale 0.5, zero point -3")) << files.header;
  EXPECT_TRUE(contains(files.header, "//   output 0: 'z' INT8 [1, 48], scale 0.25, zero point 1")) << files.header;
  EXPECT_TRUE(contains(files.header, "// activation arena: ")) << files.header;
  EXPECT_TRUE(contains(files.header, "// Fully integer; Edge TPU ready, TFLite Micro ready")) << files.header;
  EXPECT_TRUE(contains(files.header, "extern const unsigned char tiny_model[];")) << files.header;
  EXPECT_TRUE(contains(files.source, "alignas(16) const unsigned char tiny_model[] = {")) << files.source;
  EXPECT_TRUE(contains(files.source, "#include \"tiny_model.h\"")) << files.source;
}

TEST(TfliteCArray, ANameEndingInModelIsNotDoubled) {
  const CArrayFiles files = c_array_files(tflite_test::tiny_integer_model(), "tiny.tflite", "student_model");
  EXPECT_EQ(files.header_name, "student_model.h");
  EXPECT_EQ(files.source_name, "student_model.cc");
  EXPECT_TRUE(contains(files.source, "alignas(16) const unsigned char student_model[] = {")) << files.source;
  EXPECT_EQ(c_array_stem("detector"), "detector_model");
}

TEST(TfliteCArray, FloatOutputSaysNotQuantized) {
  const CArrayFiles files = c_array_files(tflite_test::tiny_integer_model(1, true), "tiny.tflite", "tiny");
  EXPECT_TRUE(contains(files.header, "//   output 0: 'z_float' FLOAT32 [1, 48], not quantized")) << files.header;
  EXPECT_TRUE(contains(files.header, "// Not fully integer;")) << files.header;
}

TEST(TfliteCArray, RefusesBytesThatAreNotTflite) {
  try {
    c_array_files({1, 2, 3, 4, 5, 6, 7, 8, 9}, "junk.bin", "junk");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()).rfind("junk.bin: ", 0), 0u) << error.what();
  }
}

}  // namespace
}  // namespace edgeport
