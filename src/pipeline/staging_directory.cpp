#include "pipeline/staging_directory.h"

#include <unistd.h>

#include "core/error.h"

namespace edgeport {

StagingDirectory::StagingDirectory(const std::filesystem::path& output_dir) : output_dir_(output_dir) {
  std::error_code status;
  std::filesystem::create_directories(output_dir_, status);
  if (status) throw Error(output_dir_.string() + ": cannot create the output directory (" + status.message() + ")");
  directory_ = output_dir_ / (".edgeport-staging-" + std::to_string(::getpid()));
  std::filesystem::create_directory(directory_, status);
  if (status || ::access(directory_.c_str(), W_OK) != 0) {
    throw Error(output_dir_.string() + ": output directory is not writable (" + status.message() + ")");
  }
}

StagingDirectory::~StagingDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void StagingDirectory::commit(const std::vector<std::string>& file_names) {
  for (const auto& file_name : file_names) {
    std::error_code status;
    std::filesystem::rename(path(file_name), final_path(file_name), status);
    if (status) throw Error(final_path(file_name).string() + ": cannot move into place (" + status.message() + ")");
  }
}

}  // namespace edgeport
