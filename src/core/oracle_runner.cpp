#include "core/oracle_runner.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <list>

#include "core/error.h"

extern char** environ;

namespace edgeport {

namespace {

// posix_spawn's file actions, released however the spawn ends.
class FileActions {
 public:
  FileActions() { ::posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { ::posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;

  void open_for_writing(int descriptor, const std::filesystem::path& file) {
    // posix_spawn keeps the pointer until the spawn.
    paths_.push_back(file.string());
    ::posix_spawn_file_actions_addopen(&actions_, descriptor, paths_.back().c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                       0644);
  }
  void duplicate(int from, int to) { ::posix_spawn_file_actions_adddup2(&actions_, from, to); }
  const posix_spawn_file_actions_t* get() const { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
  std::list<std::string> paths_;  // a list: c_str() pointers stay valid as it grows
};

}  // namespace

int run_oracle_script(const OracleCommand& command) {
  std::vector<std::string> words{command.node.string(), command.script.string()};
  words.insert(words.end(), command.arguments.begin(), command.arguments.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);

  FileActions actions;
  actions.open_for_writing(STDOUT_FILENO, command.stdout_file);
  if (command.stderr_file == command.stdout_file) {
    actions.duplicate(STDOUT_FILENO, STDERR_FILENO);
  } else {
    actions.open_for_writing(STDERR_FILENO, command.stderr_file);
  }
  pid_t child = 0;
  const int spawned = ::posix_spawnp(&child, argv[0], actions.get(), nullptr, argv.data(), environ);
  if (spawned != 0) {
    throw Error(command.script.string() + ": cannot start " + command.node.string() + " with its output in " +
                command.stdout_file.string() + " (" + std::strerror(spawned) + ")");
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) throw Error(command.script.string() + ": lost the node process (" + std::strerror(errno) + ")");
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

std::string last_nonempty_line(const std::filesystem::path& file) {
  std::ifstream stream(file);
  std::string last;
  std::string line;
  while (std::getline(stream, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace edgeport
