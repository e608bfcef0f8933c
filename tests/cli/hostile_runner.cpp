#include "hostile_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "core/temporary_directory.h"

namespace edgeport::testing {

namespace fs = std::filesystem;

namespace {

std::string read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string describe(const std::vector<std::string>& arguments) {
  std::string text = "edgeport";
  for (const std::string& argument : arguments) text += " '" + argument.substr(0, 120) + "'";
  return text;
}

}  // namespace

HostileOutcome run_edgeport_args(const std::vector<std::string>& arguments, double kill_after_seconds) {
  HostileDrive drive;
  drive.kill_after_seconds = kill_after_seconds;
  return run_edgeport_driven(arguments, drive);
}

HostileOutcome run_edgeport_driven(const std::vector<std::string>& arguments, const HostileDrive& drive) {
  TemporaryDirectory capture("hostile");
  const fs::path output_path = capture.path() / "stdout";
  const fs::path error_path = capture.path() / "stderr";
  std::vector<std::string> argv_strings{EDGEPORT_BIN};
  argv_strings.insert(argv_strings.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : argv_strings) argv.push_back(argument.data());
  argv.push_back(nullptr);

  const auto start = std::chrono::steady_clock::now();
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    const int output = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int error = ::open(error_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int input = ::open("/dev/null", O_RDONLY);
    const int standard_output = drive.stdout_path ? ::open(drive.stdout_path->c_str(), O_WRONLY | O_CREAT, 0600) : output;
    if (output < 0 || error < 0 || input < 0 || standard_output < 0 || ::chdir(EDGEPORT_SOURCE_DIR) != 0) ::_exit(127);
    ::dup2(input, 0);
    ::dup2(standard_output, 1);
    ::dup2(error, 2);
    if (drive.file_size_limit_bytes) {
      // An ignored signal stays ignored across exec.
      ::signal(SIGXFSZ, SIG_IGN);
      const rlimit limit{static_cast<rlim_t>(*drive.file_size_limit_bytes),
                         static_cast<rlim_t>(*drive.file_size_limit_bytes)};
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(127);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }

  HostileOutcome outcome;
  int status = 0;
  rusage usage{};
  while (::wait4(child, &status, WNOHANG, &usage) == 0) {
    if (drive.ready && !outcome.signal_sent && drive.ready()) {
      ::kill(child, drive.signal);
      outcome.signal_sent = true;
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed > drive.kill_after_seconds && !outcome.killed_after_timeout) {
      ::kill(child, SIGKILL);
      outcome.killed_after_timeout = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  outcome.peak_rss_mib = usage.ru_maxrss / 1024;
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
  outcome.error = read_whole(error_path);
  outcome.output = read_whole(output_path) + outcome.error;
  return outcome;
}

FolderSnapshot snapshot_folder(const fs::path& root) {
  FolderSnapshot snapshot;
  std::error_code error;
  const fs::file_status root_status = fs::symlink_status(root, error);
  if (!fs::exists(root_status)) return snapshot;
  if (!fs::is_directory(root_status)) {
    snapshot["."] = "file:" + read_whole(root);
    return snapshot;
  }
  snapshot["."] = "folder";
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root)) {
    const std::string name = fs::relative(entry.path(), root).string();
    if (entry.is_symlink()) {
      snapshot[name] = "link:" + fs::read_symlink(entry.path()).string();
    } else if (entry.is_directory()) {
      snapshot[name] = "folder";
    } else if (entry.is_regular_file()) {
      snapshot[name] = "file:" + read_whole(entry.path());
    } else {
      snapshot[name] = "special";
    }
  }
  return snapshot;
}

HostileOutcome expect_refusal(const std::vector<std::string>& arguments, const std::vector<fs::path>& watched,
                              const RefusalBounds& bounds) {
  return expect_refusal_driven(arguments, HostileDrive{}, watched, bounds);
}

HostileOutcome expect_refusal_driven(const std::vector<std::string>& arguments, const HostileDrive& drive,
                                     const std::vector<fs::path>& watched, const RefusalBounds& bounds) {
  std::vector<FolderSnapshot> before;
  for (const fs::path& folder : watched) before.push_back(snapshot_folder(folder));
  const HostileOutcome outcome = run_edgeport_driven(arguments, drive);
  const std::string context = describe(arguments) + "\noutput: " + outcome.output.substr(0, 2000);

  EXPECT_EQ(outcome.signal, 0) << context;
  EXPECT_FALSE(outcome.killed_after_timeout) << context;
  EXPECT_EQ(outcome.exit_code, 1) << context;
  EXPECT_LE(outcome.seconds, bounds.max_seconds) << context;
  EXPECT_LE(outcome.peak_rss_mib, bounds.max_rss_mib) << context;

  std::string text = outcome.error;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  EXPECT_EQ(text.find('\n'), std::string::npos) << "more than one line: " << context;
  EXPECT_LT(text.size(), 300u) << context;
  EXPECT_EQ(text.rfind("edgeport: error: ", 0), 0u) << context;

  for (std::size_t i = 0; i < watched.size(); ++i) {
    EXPECT_TRUE(snapshot_folder(watched[i]) == before[i]) << watched[i] << " changed: " << context;
  }
  return outcome;
}

}  // namespace edgeport::testing
