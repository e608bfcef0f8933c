#include "core/staging_directory.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.h"
#include "core/process_identity.h"
#include "core/stale_staging.h"

namespace edgeport {

namespace {

namespace fs = std::filesystem;

bool exists_here(const fs::path& path) {
  std::error_code ignored;
  return fs::exists(fs::symlink_status(path, ignored));
}

// Runs into one output directory commit, and undo the commits of dead runs,
// one after the other: interleaved, the folder would end with some files of
// each. Taken before the clean-up on signals is held off, so that a signal
// is never kept waiting on another process. Where the file system has no
// flock (some NFS set-ups refuse it on a folder), runs go unserialised.
class OutputDirectoryLock {
 public:
  explicit OutputDirectoryLock(const fs::path& folder)
      : descriptor_(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    while (descriptor_ >= 0 && ::flock(descriptor_, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  ~OutputDirectoryLock() {
    if (descriptor_ >= 0) ::close(descriptor_);
  }
  OutputDirectoryLock(const OutputDirectoryLock&) = delete;
  OutputDirectoryLock& operator=(const OutputDirectoryLock&) = delete;

 private:
  int descriptor_;
};

}  // namespace

StagingDirectory::StagingDirectory(const fs::path& output_dir)
    : output_dir_(output_dir),
      created_(output_dir),
      layout_{output_dir / (StagingLayout::kPrefix + process_identity())} {
  const OutputDirectoryLock lock(output_dir_);
  const auto deferred = CleanupOnSignal::defer();
  remove_stale_staging(output_dir_);
  cleanup_.emplace(layout_.folder, CleanupOnSignal::Kind::Tree);
  std::error_code status;
  // One process stages into an output directory once at a time.
  const bool made = fs::create_directory(layout_.folder, status);
  if (!status && !made) throw Error(layout_.folder.string() + ": already in use by this process");
  for (const fs::path& inner : {layout_.staged_folder(), layout_.set_aside_folder()}) {
    if (!status) fs::create_directory(inner, status);
  }
  if (status) {
    remove_folder();
    throw Error(output_dir_.string() + ": output directory is not writable (" + status.message() + ")");
  }
}

StagingDirectory::~StagingDirectory() { remove_folder(); }

void StagingDirectory::commit(const std::vector<std::string>& file_names) {
  const OutputDirectoryLock lock(output_dir_);
  const auto deferred = CleanupOnSignal::defer();
  try {
    commit_staged_files(layout_, output_dir_, file_names);
  } catch (const Error& error) {
    remove_folder();
    if (!exists_here(layout_.manifest())) throw;
    cleanup_.reset();
    throw Error(std::string(error.what()) + "; the replaced files are kept in " + layout_.folder.string());
  }
  created_.keep();
  remove_folder();
}

void StagingDirectory::remove_folder() {
  // A record of an unfinished undo keeps the folder: it holds the files the
  // commit set aside.
  if (exists_here(layout_.manifest())) return;
  std::error_code ignored;
  fs::remove_all(layout_.folder, ignored);
}

}  // namespace edgeport
