#include "core/staging_directory.h"

#include <unistd.h>

#include "core/error.h"

namespace edgeport {

StagingDirectory::StagingDirectory(const std::filesystem::path& output_dir) : output_dir_(output_dir) {
  std::error_code status;
  std::filesystem::create_directories(output_dir_, status);
  if (status) throw Error(output_dir_.string() + ": cannot create the output directory (" + status.message() + ")");
  const std::string pid = std::to_string(::getpid());
  directory_ = output_dir_ / (".edgeport-staging-" + pid);
  backup_directory_ = output_dir_ / (".edgeport-replaced-" + pid);
  std::filesystem::create_directory(directory_, status);
  if (status || ::access(directory_.c_str(), W_OK) != 0) {
    throw Error(output_dir_.string() + ": output directory is not writable (" + status.message() + ")");
  }
}

StagingDirectory::~StagingDirectory() { remove_folders(); }

void StagingDirectory::place(const std::string& file_name, std::vector<Placed>& placed) {
  const std::filesystem::path target = output_dir_ / file_name;
  std::error_code status;
  const auto existing = std::filesystem::symlink_status(target, status);
  // A directory in the way is not ours to move; the rename below fails on it.
  const bool replaces = std::filesystem::exists(existing) && !std::filesystem::is_directory(existing);
  if (replaces) {
    std::filesystem::create_directory(backup_directory_, status);
    if (!status) std::filesystem::rename(target, backup_directory_ / file_name, status);
    if (status) throw Error(target.string() + ": cannot set the old file aside (" + status.message() + ")");
  }
  std::filesystem::rename(path(file_name), target, status);
  if (status) {
    std::error_code ignored;
    if (replaces) std::filesystem::rename(backup_directory_ / file_name, target, ignored);
    throw Error(target.string() + ": cannot move into place (" + status.message() + ")");
  }
  placed.push_back({file_name, replaces});
}

std::string StagingDirectory::roll_back(const std::vector<Placed>& placed) {
  std::string problems;
  for (auto entry = placed.rbegin(); entry != placed.rend(); ++entry) {
    const std::filesystem::path target = output_dir_ / entry->file_name;
    std::error_code status;
    std::filesystem::rename(target, path(entry->file_name), status);
    if (!status && entry->replaced_one) std::filesystem::rename(backup_directory_ / entry->file_name, target, status);
    if (status) problems += "; could not restore " + target.string() + " (" + status.message() + ")";
  }
  return problems;
}

void StagingDirectory::commit(const std::vector<std::string>& file_names) {
  std::vector<Placed> placed;
  std::string failure;
  try {
    for (const std::string& file_name : file_names) place(file_name, placed);
  } catch (const Error& error) {
    failure = error.what() + roll_back(placed);
  }
  remove_folders();
  if (!failure.empty()) throw Error(failure);
}

void StagingDirectory::remove_folders() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
  std::filesystem::remove_all(backup_directory_, ignored);
}

}  // namespace edgeport
