#include "core/created_folders.h"

#include <unistd.h>

#include "core/error.h"

namespace edgeport {

CreatedFolders::CreatedFolders(const std::filesystem::path& folder) {
  // A signal between making a folder and registering it would leave it.
  const auto deferred = CleanupOnSignal::defer();
  std::filesystem::path prefix;
  for (const std::filesystem::path& part : folder) {
    prefix /= part;
    std::error_code status;
    if (std::filesystem::create_directory(prefix, status)) {
      created_.push_back(prefix);
      cleanup_.emplace_back(prefix, CleanupOnSignal::Kind::EmptyFolder);
    } else if (status) {
      remove_empty();  // the destructor does not run after a throwing constructor
      throw Error(folder.string() + ": cannot create the output directory (" + status.message() + ")");
    }
  }
}

CreatedFolders::~CreatedFolders() { remove_empty(); }

void CreatedFolders::keep() {
  created_.clear();
  cleanup_.clear();
}

void CreatedFolders::remove_empty() {
  for (auto folder = created_.rbegin(); folder != created_.rend(); ++folder) {
    if (::rmdir(folder->c_str()) != 0) break;
  }
}

}  // namespace edgeport
