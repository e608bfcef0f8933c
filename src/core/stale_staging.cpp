#include "core/stale_staging.h"

#include <string>
#include <vector>

#include "core/process_identity.h"
#include "core/staging_commit.h"

namespace edgeport {

void remove_stale_staging(const std::filesystem::path& output_dir) {
  const std::string prefix = StagingLayout::kPrefix;
  // Listed first: the roll backs below add entries to the folder.
  std::vector<std::filesystem::path> candidates;
  std::error_code status;
  for (std::filesystem::directory_iterator entry(output_dir, status), end; !status && entry != end;
       entry.increment(status)) {
    const std::string name = entry->path().filename().string();
    std::error_code ignored;
    if (name.starts_with(prefix) && entry->is_directory(ignored) && !entry->is_symlink(ignored)) {
      candidates.push_back(entry->path());
    }
  }
  for (const std::filesystem::path& folder : candidates) {
    if (!process_has_ended(folder.filename().string().substr(prefix.size()))) continue;
    const StagingLayout stale{folder};
    if (!roll_back_commit(stale, output_dir).empty()) continue;
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  }
}

}  // namespace edgeport
