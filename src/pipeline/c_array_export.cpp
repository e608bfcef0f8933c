#include "pipeline/c_array_export.h"

#include "core/file_io.h"
#include "core/file_name.h"
#include "tflite/c_array.h"

namespace edgeport {

namespace {

std::vector<std::string> stage_files(const CArrayFiles& files, const StagingDirectory& staging) {
  write_file_atomically(staging.path(files.header_name), files.header);
  write_file_atomically(staging.path(files.source_name), files.source);
  return {files.header_name, files.source_name};
}

}  // namespace

std::vector<std::string> stage_c_array(const std::filesystem::path& tflite_file, const std::string& origin,
                                       const std::string& name, const StagingDirectory& staging) {
  return stage_files(c_array_files(read_file_bytes(tflite_file), origin, name), staging);
}

std::vector<std::filesystem::path> write_c_array(const std::filesystem::path& tflite_file,
                                                 const std::filesystem::path& output_dir, std::string name) {
  if (name.empty()) name = tflite_file.stem().string();
  check_plain_file_name(c_array_stem(name) + ".cc", "--c-name");
  // Read before the output folder is touched: a bad file changes nothing.
  const std::vector<std::uint8_t> bytes = read_file_bytes(tflite_file);
  const CArrayFiles files = c_array_files(bytes, tflite_file.string(), name);
  StagingDirectory staging(output_dir);
  staging.commit(stage_files(files, staging));
  return {output_dir / files.header_name, output_dir / files.source_name};
}

}  // namespace edgeport
