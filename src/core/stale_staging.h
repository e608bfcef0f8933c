#pragma once

#include <filesystem>

namespace edgeport {

// Removes the staging folders in `output_dir` whose process has certainly
// ended (process_has_ended: killed by SIGKILL, a crash, a reboot) after
// undoing any commit one of them left half-way. A folder whose roll back
// cannot finish stays, with the files it set aside, for a later run. Folders
// of live processes, of other hosts, and whatever else is in the folder are
// left alone.
void remove_stale_staging(const std::filesystem::path& output_dir);

}  // namespace edgeport
