#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace edgeport {

// A private folder (.edgeport-staging-<pid>) inside an output directory:
// files are written there, checked, and only then moved into place together,
// so that a reader of the output directory sees all of a run's files or none.
// The folder is removed on destruction, with whatever is still in it.
class StagingDirectory {
 public:
  // Creates the output directory when missing; an Error when it cannot be
  // created or written.
  explicit StagingDirectory(const std::filesystem::path& output_dir);
  StagingDirectory(const StagingDirectory&) = delete;
  StagingDirectory& operator=(const StagingDirectory&) = delete;
  ~StagingDirectory();

  // Where to write the file `file_name` (a plain name) before the commit.
  std::filesystem::path path(const std::string& file_name) const { return directory_ / file_name; }

  // Moves the staged files into the output directory, all or nothing. Each
  // file it replaces is first renamed aside (in the output directory, so on
  // the same file system) and deleted only once every file is in place. If
  // any move fails, the files moved so far are taken out again, the replaced
  // ones are put back and an Error names the file that could not be moved:
  // the output directory is as it was. The staging folder is gone either way.
  void commit(const std::vector<std::string>& file_names);

 private:
  struct Placed {
    std::string file_name;
    bool replaced_one = false;  // an older file of that name is in backup_directory_
  };
  void place(const std::string& file_name, std::vector<Placed>& placed);
  // Undoes `placed` in reverse; what could not be undone, for the error.
  std::string roll_back(const std::vector<Placed>& placed);
  void remove_folders();

  std::filesystem::path output_dir_;
  std::filesystem::path directory_;
  std::filesystem::path backup_directory_;
};

}  // namespace edgeport
