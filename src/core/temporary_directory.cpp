#include "core/temporary_directory.h"

#include <stdlib.h>

#include "core/error.h"

namespace edgeport {

TemporaryDirectory::TemporaryDirectory(const std::string& label) {
  std::string pattern = (std::filesystem::temp_directory_path() / ("edgeport-" + label + "-XXXXXX")).string();
  if (!::mkdtemp(pattern.data())) throw Error("cannot create a temporary directory " + pattern);
  path_ = pattern;
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace edgeport
