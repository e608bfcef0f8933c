#include "core/file_name.h"

#include <algorithm>
#include <cstdio>

#include "core/error.h"

namespace edgeport {

namespace {

bool is_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

}  // namespace

void check_plain_file_name(const std::string& name, const std::string& what) {
  const std::string shown = " '" + printable(name) + "'";
  if (name.empty()) throw Error(what + " must not be empty");
  if (name.size() > kMaxPlainFileName) {
    throw Error(what + " is " + std::to_string(name.size()) + " bytes long, more than " +
                std::to_string(kMaxPlainFileName) + ":" + shown);
  }
  if (name.front() == '.') throw Error(what + " must not start with '.':" + shown);
  if (name.find_first_of("/\\") != std::string::npos) {
    throw Error(what + " must be a plain file name, without '/' or '\\':" + shown);
  }
  if (std::any_of(name.begin(), name.end(), is_control)) {
    throw Error(what + " must not hold control characters such as a newline:" + shown);
  }
}

std::string printable(const std::string& text, std::size_t limit) {
  std::string shown;
  for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
    const char c = text[i];
    if (c == '\n') {
      shown += "\\n";
    } else if (c == '\t') {
      shown += "\\t";
    } else if (c == '\\') {
      shown += "\\\\";
    } else if (is_control(c)) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned char>(c));
      shown += escaped;
    } else {
      shown += c;
    }
  }
  if (text.size() > limit) shown += "...";
  return shown;
}

}  // namespace edgeport
