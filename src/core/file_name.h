#pragma once

#include <cstddef>
#include <string>

namespace edgeport {

// The longest name check_plain_file_name accepts, in bytes. File systems
// allow 255; edgeport derives names from a stem ("_fp32.tflite") and the
// temporary files beside them, and those must fit too.
inline constexpr std::size_t kMaxPlainFileName = 200;

// Refuses, with one line that starts with `what`, a name that is not one
// plain file of its own in a folder: empty, longer than kMaxPlainFileName,
// starting with '.' (".", ".." and hidden files, which also keeps clear of
// edgeport's own .edgeport-* folders), or holding '/' or '\' (the files go to
// Windows machines too) or a control character, a newline included.
void check_plain_file_name(const std::string& name, const std::string& what);

// `text` for a one-line message: control characters and '\' escaped C-style
// (\n, \x01), cut after `limit` bytes with "...".
std::string printable(const std::string& text, std::size_t limit = 60);

}  // namespace edgeport
