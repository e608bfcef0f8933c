#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/staging_directory.h"

namespace edgeport {

// Writes `<name>_model.h` and `<name>_model.cc` of a TFLite file (see
// tflite/c_array.h) into the staging directory, each through
// write_file_atomically; `origin` names the file in comments and messages.
// Returns the two file names.
std::vector<std::string> stage_c_array(const std::filesystem::path& tflite_file, const std::string& origin,
                                       const std::string& name, const StagingDirectory& staging);

// The same for an existing TFLite file, into `output_dir` (created when
// missing): both files or neither. `name` empty means the file's stem.
// Returns the paths written.
std::vector<std::filesystem::path> write_c_array(const std::filesystem::path& tflite_file,
                                                 const std::filesystem::path& output_dir, std::string name);

}  // namespace edgeport
