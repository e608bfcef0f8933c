#include "core/staging_commit.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "core/error.h"
#include "core/file_io.h"
#include "core/file_name.h"

namespace edgeport {

namespace {

namespace fs = std::filesystem;

bool exists_here(const fs::path& path) {
  std::error_code ignored;
  return fs::exists(fs::symlink_status(path, ignored));
}

// Every name once, and each a staged file: the roll back takes a name
// missing from new/ for one already moved into place.
void check_names(const StagingLayout& layout, const std::vector<std::string>& names) {
  std::set<std::string> seen;
  for (const std::string& name : names) {
    check_plain_file_name(name, "staged file name");
    if (!seen.insert(name).second) throw Error(layout.staged(name).string() + ": listed twice in one commit");
    if (!exists_here(layout.staged(name))) throw Error(layout.staged(name).string() + ": was never staged");
  }
}

void place(const StagingLayout& layout, const fs::path& output_dir, const std::string& name) {
  const fs::path target = output_dir / name;
  std::error_code status;
  const fs::file_status existing = fs::symlink_status(target, status);
  if (fs::exists(existing) && !fs::is_directory(existing)) {
    fs::rename(target, layout.set_aside(name), status);
    if (status) throw Error(target.string() + ": cannot set the old file aside (" + status.message() + ")");
  }
  fs::rename(layout.staged(name), target, status);
  if (status) throw Error(target.string() + ": cannot move into place (" + status.message() + ")");
}

// A damaged manifest must not send a rename outside the two folders.
bool is_plain_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

std::vector<std::string> read_manifest(const StagingLayout& layout) {
  const std::vector<std::uint8_t> bytes = read_file_bytes(layout.manifest());
  std::vector<std::string> names;
  std::string name;
  for (std::uint8_t byte : bytes) {
    if (byte != 0) {
      name += static_cast<char>(byte);
      continue;
    }
    if (!is_plain_name(name)) throw Error(layout.manifest().string() + ": damaged record of a commit");
    names.push_back(std::move(name));
    name.clear();
  }
  return names;
}

}  // namespace

void commit_staged_files(const StagingLayout& layout, const fs::path& output_dir,
                         const std::vector<std::string>& names) {
  check_names(layout, names);
  std::string record;
  for (const std::string& name : names) record += name + '\0';
  write_file_atomically(layout.manifest(), record);

  std::string failure;
  try {
    for (const std::string& name : names) place(layout, output_dir, name);
    if (::unlink(layout.manifest().c_str()) == 0) return;
    const std::string reason = std::strerror(errno);
    failure = layout.manifest().string() + ": cannot remove (" + reason + ")";
  } catch (const Error& error) {
    failure = error.what();
  }
  throw Error(failure + roll_back_commit(layout, output_dir));
}

std::string roll_back_commit(const StagingLayout& layout, const fs::path& output_dir) {
  if (!exists_here(layout.manifest())) return "";
  std::vector<std::string> names;
  try {
    names = read_manifest(layout);
  } catch (const Error& error) {
    return std::string("; ") + error.what();
  }
  std::string problems;
  for (auto name = names.rbegin(); name != names.rend(); ++name) {
    const fs::path target = output_dir / *name;
    const bool placed = !exists_here(layout.staged(*name));
    std::error_code status;
    if (exists_here(layout.set_aside(*name))) {
      // Over the new file when it is in place: the name is never missing.
      fs::rename(layout.set_aside(*name), target, status);
    } else if (placed && exists_here(target)) {
      fs::rename(target, layout.staged(*name), status);
    }
    if (status) problems += "; could not restore " + target.string() + " (" + status.message() + ")";
  }
  if (problems.empty()) ::unlink(layout.manifest().c_str());
  return problems;
}

}  // namespace edgeport
