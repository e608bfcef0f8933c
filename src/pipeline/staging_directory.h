#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace edgeport {

// Files are written into a private folder inside the output directory and
// moved into place together once everything is verified; on failure the
// folder is removed and the output directory is as it was.
class StagingDirectory {
 public:
  explicit StagingDirectory(const std::filesystem::path& output_dir);
  StagingDirectory(const StagingDirectory&) = delete;
  StagingDirectory& operator=(const StagingDirectory&) = delete;
  ~StagingDirectory();

  std::filesystem::path path(const std::string& file_name) const { return directory_ / file_name; }
  std::filesystem::path final_path(const std::string& file_name) const { return output_dir_ / file_name; }

  void commit(const std::vector<std::string>& file_names);

 private:
  std::filesystem::path output_dir_;
  std::filesystem::path directory_;
};

}  // namespace edgeport
