#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace edgeport::testing {

// How a hostile-input case must end: refused in one short line, without a
// signal, within a memory and time bound, and with the watched folders as
// they were.
struct RefusalBounds {
  double max_seconds = 2.0;
  // Peak resident set of the edgeport process. The kernel's figure also
  // counts the forked test process before exec, so it is an upper bound.
  long max_rss_mib = 256;
};

struct HostileOutcome {
  int exit_code = -1;  // -1 when a signal ended it
  int signal = 0;      // the signal that ended it, 0 when it exited
  bool killed_after_timeout = false;
  double seconds = 0;
  long peak_rss_mib = 0;
  std::string output;         // stdout, then stderr
  std::string error;          // stderr alone
  bool signal_sent = false;   // HostileDrive::signal was sent
};

// Runs edgeport with `arguments` (one per argv entry, no shell) from the
// source directory, stdin from /dev/null. A run still going after
// `kill_after_seconds` is killed and reported as such.
HostileOutcome run_edgeport_args(const std::vector<std::string>& arguments, double kill_after_seconds = 20.0);

// What run_edgeport_driven does beyond run_edgeport_args.
struct HostileDrive {
  double kill_after_seconds = 20.0;
  // Standard output goes here instead of into HostileOutcome::output, which
  // then holds stderr only.
  std::optional<std::filesystem::path> stdout_path;
  // A file-size limit (RLIMIT_FSIZE) with SIGXFSZ ignored: a write past it
  // fails with EFBIG as a write to a full disk fails with ENOSPC.
  std::optional<long> file_size_limit_bytes;
  // When set, `signal` is sent to the child once `ready()` holds (polled
  // while the child runs, every 2 ms), and only once.
  std::function<bool()> ready;
  int signal = 0;
};

// run_edgeport_args with the changes of `drive`.
HostileOutcome run_edgeport_driven(const std::vector<std::string>& arguments, const HostileDrive& drive);

// Every file and folder under `root` with its type and content, to compare
// before and after a run.
using FolderSnapshot = std::map<std::string, std::string>;
FolderSnapshot snapshot_folder(const std::filesystem::path& root);

// Runs the case and checks every line of RefusalBounds plus: exit code 1,
// exactly one line on stderr, shorter than 300 characters, starting with
// "edgeport: error:", and each of `watched` unchanged (a folder that did not
// exist must still not exist). Progress lines on stdout (export's stages)
// are allowed. Returns the outcome for further checks.
HostileOutcome expect_refusal(const std::vector<std::string>& arguments,
                              const std::vector<std::filesystem::path>& watched = {},
                              const RefusalBounds& bounds = {});

// expect_refusal for a run driven by `drive`.
HostileOutcome expect_refusal_driven(const std::vector<std::string>& arguments, const HostileDrive& drive,
                                     const std::vector<std::filesystem::path>& watched = {},
                                     const RefusalBounds& bounds = {});

}  // namespace edgeport::testing
