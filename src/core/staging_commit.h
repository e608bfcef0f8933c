#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace edgeport {

// A staging folder, .edgeport-staging-<process identity> in an output
// folder, holds:
//   new/        the run's files, until each is moved into place
//   old/        the files of the output folder the commit replaced
//   committing  the names being committed, NUL-separated; present only while
//               a commit may be half-way, so that whoever finds it (the run
//               itself after a failed move, or a later run after a SIGKILL or
//               a crash) can undo the moves made so far.
struct StagingLayout {
  static constexpr const char* kPrefix = ".edgeport-staging-";

  std::filesystem::path folder;

  std::filesystem::path staged_folder() const { return folder / "new"; }
  std::filesystem::path set_aside_folder() const { return folder / "old"; }
  std::filesystem::path staged(const std::string& name) const { return staged_folder() / name; }
  std::filesystem::path set_aside(const std::string& name) const { return set_aside_folder() / name; }
  std::filesystem::path manifest() const { return folder / "committing"; }
};

// Moves the staged files `names` into `output_dir`, all or nothing: first
// the manifest, then per file the one it replaces into old/ and the new one
// into place, then the manifest is removed, which is the moment the commit
// takes effect. When a move fails, the moves so far are undone and an Error
// names the file that could not be moved. A directory in the way is not ours
// to move, so it fails the commit. The caller holds off the clean-up on
// signals, which would otherwise cut the commit half-way.
void commit_staged_files(const StagingLayout& layout, const std::filesystem::path& output_dir,
                         const std::vector<std::string>& names);

// Undoes the moves of a commit that did not take effect, as recorded in the
// layout's manifest: each replaced file goes back over the new one, each
// new file without a predecessor goes back into new/. Nothing happens without
// a manifest. Returns what could not be undone ("; could not restore <file>
// (<reason>)" each); the manifest is removed only when everything was undone,
// so that a later attempt finishes the job. Running it again is harmless.
std::string roll_back_commit(const StagingLayout& layout, const std::filesystem::path& output_dir);

}  // namespace edgeport
