#pragma once

#include <filesystem>
#include <string>

namespace edgeport {

// A fresh private directory under the system's temporary directory
// (edgeport-<label>-XXXXXX), removed with everything in it on destruction.
class TemporaryDirectory {
 public:
  explicit TemporaryDirectory(const std::string& label);
  ~TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace edgeport
