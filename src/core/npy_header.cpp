#include "core/npy_header.h"

#include <cctype>
#include <limits>

#include "core/error.h"

namespace edgeport {

namespace {

class HeaderScanner {
 public:
  HeaderScanner(const std::string& text, const std::string& origin) : text_(text), origin_(origin) {}

  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(origin_ + ": .npy header " + problem + " at character " + std::to_string(position_));
  }

  void skip_spaces() {
    while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_]))) ++position_;
  }

  bool accept(char expected) {
    skip_spaces();
    if (position_ < text_.size() && text_[position_] == expected) {
      ++position_;
      return true;
    }
    return false;
  }

  void expect(char expected) {
    if (!accept(expected)) fail(std::string("expects '") + expected + "'");
  }

  bool accept_word(const std::string& word) {
    skip_spaces();
    if (text_.compare(position_, word.size(), word) != 0) return false;
    position_ += word.size();
    return true;
  }

  std::string quoted() {
    skip_spaces();
    if (position_ >= text_.size() || (text_[position_] != '\'' && text_[position_] != '"')) fail("expects a string");
    const char quote = text_[position_++];
    const std::size_t end = text_.find(quote, position_);
    if (end == std::string::npos) fail("has an unterminated string");
    std::string value = text_.substr(position_, end - position_);
    position_ = end + 1;
    return value;
  }

  std::int64_t extent() {
    skip_spaces();
    const std::size_t start = position_;
    std::int64_t value = 0;
    while (position_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[position_]))) {
      const int digit = text_[position_] - '0';
      if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10) fail("has an extent too large");
      value = value * 10 + digit;
      ++position_;
    }
    if (position_ == start) fail("expects a non-negative extent");
    accept('L');  // Python 2 wrote long integers with a suffix
    return value;
  }

  bool at_end() {
    skip_spaces();
    return position_ == text_.size();
  }

 private:
  const std::string& text_;
  const std::string& origin_;
  std::size_t position_ = 0;
};

}  // namespace

NpyHeader parse_npy_header(const std::string& text, const std::string& origin) {
  HeaderScanner scanner(text, origin);
  NpyHeader header;
  bool has_descr = false;
  bool has_shape = false;
  scanner.expect('{');
  while (!scanner.accept('}')) {
    const std::string key = scanner.quoted();
    scanner.expect(':');
    if (key == "descr") {
      header.descr = scanner.quoted();
      has_descr = true;
    } else if (key == "fortran_order") {
      if (scanner.accept_word("True")) {
        header.fortran_order = true;
      } else if (!scanner.accept_word("False")) {
        scanner.fail("expects True or False for fortran_order");
      }
    } else if (key == "shape") {
      scanner.expect('(');
      while (!scanner.accept(')')) {
        header.shape.push_back(scanner.extent());
        if (!scanner.accept(',')) {
          scanner.expect(')');
          break;
        }
      }
      has_shape = true;
    } else {
      scanner.fail("has an unknown key '" + key.substr(0, 40) + "'");
    }
    if (!scanner.accept(',')) {
      scanner.expect('}');
      break;
    }
  }
  if (!scanner.at_end()) scanner.fail("has text after the dictionary");
  if (!has_descr) throw Error(origin + ": .npy header has no descr");
  if (!has_shape) throw Error(origin + ": .npy header has no shape");
  return header;
}

}  // namespace edgeport
