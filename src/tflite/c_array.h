#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace edgeport {

// A TFLite file as C++ for a microcontroller's firmware, as `xxd -i` gives it
// to TFLite Micro users but aligned and commented: `<name>_model.h` declares
// `<id>` (const unsigned char[], 16-byte aligned as TFLite Micro wants the
// model) and `<id>_len`, and says in comments what the interface is (tensor
// names, shapes, types, scales and zero points), the activation arena and
// the readiness for integer targets; `<name>_model.cc` defines them. `<id>`
// is `<name>_model` with every character a C identifier cannot hold made '_'.
struct CArrayFiles {
  std::string header_name;
  std::string header;
  std::string source_name;
  std::string source;
};

// `<name>_model`, or `name` itself when it already ends in "_model" (export's
// default name, student_model, gives student_model.h, not student_model_model.h).
std::string c_array_stem(const std::string& name);

// The file is verified first; Errors start with `origin`.
CArrayFiles c_array_files(const std::vector<std::uint8_t>& tflite, const std::string& origin, const std::string& name);

}  // namespace edgeport
