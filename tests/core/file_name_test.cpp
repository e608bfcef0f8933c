#include <gtest/gtest.h>

#include "core/error.h"
#include "core/file_name.h"

namespace edgeport {
namespace {

std::string refusal(const std::string& name) {
  try {
    check_plain_file_name(name, "--name");
  } catch (const Error& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(PlainFileName, AcceptsOrdinaryStems) {
  for (const std::string& name : std::vector<std::string>{"student_model", "model v2", "a.b", "Modèle-1", std::string(200, 'a')}) {
    EXPECT_EQ(refusal(name), "(accepted)") << name;
  }
}

TEST(PlainFileName, RefusesEachKindInOneLine) {
  EXPECT_EQ(refusal(""), "--name must not be empty");
  EXPECT_EQ(refusal("."), "--name must not start with '.': '.'");
  EXPECT_EQ(refusal(".."), "--name must not start with '.': '..'");
  EXPECT_EQ(refusal(".edgeport-staging-1"), "--name must not start with '.': '.edgeport-staging-1'");
  EXPECT_EQ(refusal("../escape"), "--name must not start with '.': '../escape'");
  EXPECT_EQ(refusal("sub/model"), "--name must be a plain file name, without '/' or '\\': 'sub/model'");
  EXPECT_EQ(refusal("sub\\model"), "--name must be a plain file name, without '/' or '\\': 'sub\\\\model'");
  EXPECT_EQ(refusal("two\nlines"), "--name must not hold control characters such as a newline: 'two\\nlines'");
  EXPECT_EQ(refusal(std::string("bell\x07")),
            "--name must not hold control characters such as a newline: 'bell\\x07'");
  EXPECT_EQ(refusal(std::string(201, 'a')),
            "--name is 201 bytes long, more than 200: '" + std::string(60, 'a') + "...'");
}

TEST(Printable, EscapesControlCharactersAndCuts) {
  EXPECT_EQ(printable("a\tb\r\x7f"), "a\\tb\\x0d\\x7f");
  EXPECT_EQ(printable("abcdef", 3), "abc...");
}

}  // namespace
}  // namespace edgeport
