#pragma once

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <filesystem>

// Shared by the test executables: the file system's immutable flag (chattr
// +i) on a file or folder while alive. With it even root cannot rename,
// replace or remove the file, or change the folder's entries, which is how a
// test makes a rename fail for root. Needs CAP_LINUX_IMMUTABLE and a file
// system with the flag (ext4, xfs, btrfs); is_set() tells whether it worked.
namespace edgeport::testing {

class ImmutableFlag {
 public:
  explicit ImmutableFlag(const std::filesystem::path& path) : path_(path) { is_set_ = change(true); }
  ~ImmutableFlag() {
    if (is_set_) change(false);
  }
  ImmutableFlag(const ImmutableFlag&) = delete;
  ImmutableFlag& operator=(const ImmutableFlag&) = delete;

  bool is_set() const { return is_set_; }

 private:
  bool change(bool immutable) const {
    const int descriptor = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (descriptor < 0) return false;
    int flags = 0;
    bool changed = ::ioctl(descriptor, FS_IOC_GETFLAGS, &flags) == 0;
    if (changed) {
      flags = immutable ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
      changed = ::ioctl(descriptor, FS_IOC_SETFLAGS, &flags) == 0;
    }
    ::close(descriptor);
    return changed;
  }

  std::filesystem::path path_;
  bool is_set_ = false;
};

}  // namespace edgeport::testing
