#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace edgeport::testing {

inline void write_text(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

inline std::string read_text(const std::filesystem::path& path) {
  std::ostringstream content;
  content << std::ifstream(path).rdbuf();
  return content.str();
}

// Every entry under `folder`: a file's content, "<directory>" for a folder,
// "<link to ...>" for a symbolic link and "<special>" for anything else, to
// compare a folder before and after.
inline std::map<std::string, std::string> snapshot(const std::filesystem::path& folder) {
  std::map<std::string, std::string> entries;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    const std::string name = std::filesystem::relative(entry.path(), folder).string();
    if (entry.is_symlink()) {
      entries[name] = "<link to " + std::filesystem::read_symlink(entry.path()).string() + ">";
    } else if (entry.is_directory()) {
      entries[name] = "<directory>";
    } else if (entry.is_regular_file()) {
      entries[name] = read_text(entry.path());
    } else {
      entries[name] = "<special>";
    }
  }
  return entries;
}

}  // namespace edgeport::testing
