#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/created_folders.h"
#include "core/signal_cleanup.h"
#include "core/staging_commit.h"

namespace edgeport {

// A private folder (.edgeport-staging-<process identity>, see StagingLayout)
// inside an output directory: files are written there, checked, and only then
// moved into place together (commit_staged_files), so that the output
// directory ends up with all of a run's files or none of them.
//
// Nothing of a run that does not commit stays behind: the folder goes on
// destruction, on SIGINT, SIGTERM and SIGHUP (CleanupOnSignal), and after a
// SIGKILL or a crash with the next run in the same output directory
// (remove_stale_staging); an output directory the run created goes too while
// it is empty.
class StagingDirectory {
 public:
  // Creates the output directory when missing and removes stale staging
  // folders from it; an Error when it cannot be created or written.
  explicit StagingDirectory(const std::filesystem::path& output_dir);
  StagingDirectory(const StagingDirectory&) = delete;
  StagingDirectory& operator=(const StagingDirectory&) = delete;
  ~StagingDirectory();

  // Where to write the file `file_name` (a plain name) before the commit.
  std::filesystem::path path(const std::string& file_name) const { return layout_.staged(file_name); }

  // Moves the staged files into the output directory, all or nothing (see
  // commit_staged_files); a signal waits until the commit has taken effect or
  // has been undone. The staging folder is gone afterwards, unless an undo
  // could not finish: then it keeps the files it set aside, the Error says
  // where, and the next run finishes the undo.
  void commit(const std::vector<std::string>& file_names);

 private:
  void remove_folder();

  std::filesystem::path output_dir_;
  CreatedFolders created_;
  StagingLayout layout_;
  std::optional<CleanupOnSignal> cleanup_;
};

}  // namespace edgeport
